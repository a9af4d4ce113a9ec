/** Test support for the web app's view models (excluded from the product build). */
import type { Readable } from './observable.js';

/** Resolves with the first value of `source` that satisfies `ready`, now or later. */
export function until<T>(source: Readable<T>, ready: (value: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const check = () => {
      const value = source.get();
      if (!ready(value)) return;
      off();
      resolve(value);
    };
    const off = source.subscribe(check);
    check();
  });
}
