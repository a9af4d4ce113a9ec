/**
 * The smallest state container React can subscribe to: a current snapshot
 * (replaced, never mutated) and listeners told when it changes. The view
 * models of both pages (the classroom's and persona's, the operator page's
 * access and live feed) hold one each; views read it with useObservable and
 * never fetch, decrypt or store themselves.
 */
import { useSyncExternalStore } from 'react';

export class Observable<T> {
  #value: T;
  readonly #listeners = new Set<() => void>();

  constructor(initial: T) {
    this.#value = initial;
  }

  get = (): T => this.#value;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  set(next: T): void {
    if (Object.is(next, this.#value)) return;
    this.#value = next;
    for (const listener of [...this.#listeners]) listener();
  }

  update(change: (current: T) => T): void {
    this.set(change(this.#value));
  }
}

export interface Readable<T> {
  get(): T;
  subscribe(listener: () => void): () => void;
}

export function useObservable<T>(source: Readable<T>): T {
  return useSyncExternalStore(source.subscribe, source.get);
}
