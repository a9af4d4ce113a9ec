/**
 * What happened in the class besides envelopes (shared/protocol/class-activity.ts):
 * someone joined, changed keys or filed a report, the operator answered a
 * warrant or reset the class. The operator stream carries each as an
 * `activity` event, which the guided lesson ticks its steps from. Names and
 * kinds only: never what anyone wrote.
 */
import type { ClassActivityWire } from '@envelope/protocol';

export type ClassActivityListener = (activity: ClassActivityWire) => void;

export class ClassActivityHub {
  readonly #listeners = new Set<ClassActivityListener>();

  constructor(private readonly log: (line: string) => void = () => {}) {}

  emit(activity: ClassActivityWire): void {
    for (const listener of this.#listeners) {
      try {
        listener(activity);
      } catch (error) {
        // A broken listener (a stream gone away) must not undo what was already done.
        this.log(`class activity: a listener failed: ${(error as Error).message}`);
      }
    }
  }

  /** Runs `listener` on every activity; returns the unsubscribe. */
  subscribe(listener: ClassActivityListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
}
