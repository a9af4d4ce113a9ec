/**
 * One tab at a time per persona, with the Web Locks API: a tab holds an
 * exclusive lock named after the persona for as long as its pane runs that
 * persona. A second tab asks with `ifAvailable` and, refused, says the persona
 * is open elsewhere; "Use it here instead" asks again with `steal`, which takes
 * the lock from the first tab (whose request then rejects with an AbortError:
 * that is how it learns it was taken over). Meanwhile a tab without the lock
 * waits for it ('wait'), so closing the tab that has the persona hands it on.
 *
 * The lock is what makes tabs take turns politely. What makes a take-over safe
 * is the client core's fencing (shared/client/ownership.ts): the new tab's
 * client claims the profile before it loads anything, so a write the old tab
 * was still making is refused by the database.
 *
 * Web Locks exist only in secure contexts (https, or http://localhost). A page
 * opened over plain http on the network (HOST=0.0.0.0) has none: there a
 * second tab takes the persona over on opening, and the fencing stops the first.
 */

/** 'if-available': now or never; 'steal': now, from whoever holds it; 'wait': when it is given back (until the signal aborts). */
export type LockMode = 'if-available' | 'steal' | 'wait';

export interface PersonaLease {
  /** Resolves once another tab has taken the lock over. */
  readonly lost: Promise<void>;
  /** Gives the lock back (the pane closed). */
  release(): void;
}

/** Takes a persona's lock: the lease, or null if another tab holds it ('if-available') or the wait was aborted ('wait'). */
export type LockPersona = (personaId: string, mode: LockMode, signal?: AbortSignal) => Promise<PersonaLease | null>;

function lockOptions(mode: LockMode, signal: AbortSignal | undefined): LockOptions {
  if (mode === 'steal') return { mode: 'exclusive', steal: true };
  if (mode === 'if-available') return { mode: 'exclusive', ifAvailable: true };
  return signal ? { mode: 'exclusive', signal } : { mode: 'exclusive' };
}

export function personaLockName(personaId: string): string {
  return `envelope-persona-${personaId}`;
}

/** The browser's Web Locks, or null where there are none (an insecure context). */
export function browserPersonaLocks(locks: LockManager | undefined = globalThis.navigator?.locks): LockPersona | null {
  if (!locks) return null;
  return (personaId, mode, signal) =>
    new Promise<PersonaLease | null>((resolveLease, rejectLease) => {
      let granted = false;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let markLost!: () => void;
      const lost = new Promise<void>((resolve) => (markLost = resolve));
      locks
        .request(personaLockName(personaId), lockOptions(mode, signal), async (lock) => {
          if (lock === null) {
            resolveLease(null);
            return;
          }
          granted = true;
          resolveLease({ lost, release });
          await held; // the lock is ours until release() (or until another tab steals it)
        })
        .then(
          () => undefined,
          (error: unknown) => {
            // Stolen by another tab: the request that held the lock rejects with an AbortError.
            if (granted) markLost();
            // A wait given up on (the user took over, or the pane closed) is not an error.
            else if (signal?.aborted) resolveLease(null);
            else rejectLease(error);
          },
        );
    });
}
