/**
 * Resetting the class (POST /api/operator/class/reset): between two classes the
 * operator deletes everything the last one left, so the next starts clean and
 * nobody's messages, metadata or reports outlive the lesson they were written in.
 *
 * What goes, in one transaction: accounts (with devices, keys and sign-ins),
 * mailboxes, the metadata log, reports, network addresses, the policy's
 * history, and the lawful-access tables (text read in transport-only,
 * ciphertexts kept for the escrow, the intercept console's warrants, copies
 * and audit). The mode returns to e2ee in the same transaction: a class that
 * starts over must not find the server already reading it. Then the escrow
 * key's files are deleted (what it could open is gone), deleted rows are
 * scrubbed from the SQLite file and its WAL, every live device is disconnected
 * with a close code that says the class was reset (its pane says so instead of
 * failing), and the operator stream says `class-reset`.
 *
 * What stays: the operator's and agency's tokens, the server's own keys
 * (including the transport key: with nothing stored it opens nothing kept), the
 * content scanner's rules, and the id counters.
 */
import type { ClassCounts, ClassResetAnswer, PolicyMode } from '@envelope/protocol';
import type { ClassResetRepo } from '../storage/class-reset-repo.js';
import type { Db } from '../storage/database.js';
import type { ClassActivityHub } from './class-activity.js';

/** The lawful-access half (server/lawful-access/class-reset.ts and the escrow key store), as ports. */
export interface LawfulAccessClearing {
  counts(): Pick<ClassCounts, 'readMessages' | 'escrowedMessages' | 'interceptWarrants' | 'interceptCopies' | 'auditLines'>;
  clear(): void;
  escrowKeyFilesExist(): boolean;
  /** Deletes the escrow key's files. */
  forgetEscrowKey(): Promise<boolean>;
  /** In-memory state read from the tables (the intercept console's active warrants). */
  reload(): void;
}

export interface ClassResetDeps {
  readonly db: Db;
  readonly repo: ClassResetRepo;
  readonly lawfulAccess: LawfulAccessClearing;
  readonly policy: { readonly mode: PolicyMode; set(mode: PolicyMode, via: 'reset'): unknown };
  /** Commits what the relay has queued (before the deletes, so nothing lands after them). */
  flushRelay(): void;
  /** Closes every live device connection with the class-reset close code, and forgets them. */
  disconnectEveryone(): void;
  /** Recomputes the metadata signals (over an empty log). */
  rescanSignals(): void;
  readonly activity: ClassActivityHub;
  readonly now: () => number;
  readonly log: (line: string) => void;
}

export class ClassReset {
  /** One reset at a time: the escrow key's files are deleted after the transaction, asynchronously. */
  #running: Promise<ClassResetAnswer> | null = null;

  constructor(private readonly deps: ClassResetDeps) {}

  counts(): ClassCounts {
    return {
      ...this.deps.repo.counts(),
      ...this.deps.lawfulAccess.counts(),
      escrowKeyFiles: this.deps.lawfulAccess.escrowKeyFilesExist(),
      mode: this.deps.policy.mode,
    };
  }

  reset(): Promise<ClassResetAnswer> {
    this.#running ??= this.#reset().finally(() => (this.#running = null));
    return this.#running;
  }

  async #reset(): Promise<ClassResetAnswer> {
    const { db, repo, lawfulAccess, policy } = this.deps;
    this.deps.flushRelay();
    const deleted = this.counts();
    const at = this.deps.now();
    repo.secureDelete(() =>
      db.transaction(() => {
        repo.clear();
        lawfulAccess.clear();
        policy.set('e2ee', 'reset');
      })(),
    );
    // Synchronously after the commit, before anything awaits: no device can send as an account that is gone.
    lawfulAccess.reload();
    this.deps.disconnectEveryone();
    this.deps.rescanSignals();
    const scrubbed = repo.compact();
    if (!scrubbed) this.deps.log('class reset: the database could not be compacted now (busy?): its write-ahead log keeps old pages until the next checkpoint');
    await lawfulAccess.forgetEscrowKey();
    this.deps.log(`class reset: deleted ${deleted.accounts} accounts, ${deleted.loggedEnvelopes} logged envelopes, ${deleted.reports} reports`);
    this.deps.activity.emit({ kind: 'class-reset', at });
    return { deleted, at, mode: 'e2ee', scrubbed };
  }
}
