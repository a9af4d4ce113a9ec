/** Promises for "the next time X happens", settled all at once, each with an optional deadline. */
export class Waiters<E extends Error> {
  #waiting = new Set<{ resolve(): void; reject(error: E): void }>();

  /** Resolves at the next `resolveAll`; rejects with `onTimeout()` after `timeoutMs`, or at `rejectAll`. */
  wait(timeoutMs: number, onTimeout: () => E): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(() => settle(() => reject(onTimeout())), timeoutMs) : undefined;
      const settle = (action: () => void) => {
        clearTimeout(timer);
        this.#waiting.delete(waiter);
        action();
      };
      const waiter = { resolve: () => settle(resolve), reject: (error: E) => settle(() => reject(error)) };
      this.#waiting.add(waiter);
    });
  }

  resolveAll(): void {
    for (const waiter of [...this.#waiting]) waiter.resolve();
  }

  rejectAll(error: E): void {
    for (const waiter of [...this.#waiting]) waiter.reject(error);
  }
}
