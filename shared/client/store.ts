/**
 * Where a client keeps its profile: identity, prekeys, sessions, contacts,
 * outbox and inbox. The interface is deliberately small so that a browser
 * (IndexedDB), a CLI (one JSON file) and tests (memory) can each implement it
 * in a few lines.
 *
 * Values are plain data: JSON data (objects, arrays, strings, finite numbers,
 * booleans, null) and Uint8Array, so key material and session state are kept
 * as bytes wherever the store can hold them (memory, IndexedDB's structured
 * clone); a store that cannot (the CLI's JSON file) encodes bytes once, at its
 * own boundary. What a caller reads is `unknown`: each kind of record is parsed
 * by its schema on load (store-records.ts, record-schemas.ts), never cast.
 * Every `put` is atomic: after a crash either
 * all of its entries are stored or none is. The client relies on that to keep a
 * session state and the message it produced (or consumed) in step.
 *
 * A put can be fenced (`ifEpoch`, ownership.ts): it happens only if the
 * profile's owner epoch is still the writer's, checked in the same atomic step
 * as the write. That is what keeps a client that lost the profile to another
 * (a second browser tab) from storing a session it encrypted with: a message
 * key must never be used twice.
 */
import { ClientError } from './errors.js';

/** Where the profile's owner record lives (ownership.ts); its `epoch` is what fenced puts compare. */
export const OWNER_KEY = 'owner';

export interface PutOptions {
  /**
   * Write only if the owner epoch stored under OWNER_KEY is exactly this (0: no
   * owner recorded yet), checked atomically with the write; otherwise write
   * nothing and reject with ClientError NOT_OWNER.
   */
  readonly ifEpoch?: number;
}

export interface ClientStore {
  /** The stored value, or undefined; parse it with its record kind (readRecord). The caller owns the returned copy. */
  get(key: string): Promise<unknown>;
  /** Writes every entry at once; an `undefined` value deletes that key. */
  put(entries: Readonly<Record<string, unknown>>, options?: PutOptions): Promise<void>;
  /** The keys that start with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
}

/** Past this depth a value is not a record this client writes (the deepest, a pending key reset, is 5 levels). */
const MAX_VALUE_DEPTH = 16;

/**
 * A deep copy of `value` as plain data, so no caller can alias stored state
 * and a store that works in memory cannot hide a value (a Map, a class
 * instance, NaN) that IndexedDB or a file would mangle. Uint8Arrays (any view
 * onto a buffer, a Node Buffer too) are copied into plain Uint8Arrays of their
 * own. Throws TypeError naming the key for anything else.
 */
export function copyStorable(key: string, value: unknown, depth = 0): unknown {
  if (depth > MAX_VALUE_DEPTH) throw new TypeError(`store: value for "${key}" is nested too deeply`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`store: value for "${key}" has a non-finite number`);
    return value;
  }
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : copyStorable(key, item, depth + 1)));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [field, item] of Object.entries(value)) {
      if (item !== undefined) copy[field] = copyStorable(key, item, depth + 1);
    }
    return copy;
  }
  throw new TypeError(`store: value for "${key}" is not plain data (JSON data and Uint8Array)`);
}

/** The owner epoch in the stored owner record (0 when there is none, or it has none). */
export function epochOf(owner: unknown): number {
  if (typeof owner !== 'object' || owner === null) return 0;
  const epoch = (owner as { epoch?: unknown }).epoch;
  return typeof epoch === 'number' && Number.isSafeInteger(epoch) ? epoch : 0;
}

/** The error a fenced put rejects with. */
export function notOwnerError(expected: number, found: number): ClientError {
  return new ClientError('NOT_OWNER', 'this profile is open in another client (another tab or window) that took it over: nothing was written', {
    expectedEpoch: expected,
    foundEpoch: found,
  });
}

/** Refuses a fenced put whose epoch is not the stored one. */
export function checkEpoch(options: PutOptions | undefined, owner: unknown): void {
  if (options?.ifEpoch === undefined) return;
  const found = epochOf(owner);
  if (found !== options.ifEpoch) throw notOwnerError(options.ifEpoch, found);
}

/** A store in memory: for tests and for a browser tab that keeps nothing. */
export class MemoryStore implements ClientStore {
  // Values are copied in and out (copyStorable), so callers can never alias stored state.
  readonly #data = new Map<string, unknown>();

  async get(key: string): Promise<unknown> {
    const value = this.#data.get(key);
    return value === undefined ? undefined : copyStorable(key, value);
  }

  async put(entries: Readonly<Record<string, unknown>>, options?: PutOptions): Promise<void> {
    // Copy everything first: if any value is refused, nothing is written.
    const prepared = Object.entries(entries).map(([key, value]) => [key, value === undefined ? undefined : copyStorable(key, value)] as const);
    // The check and the writes run with no await in between: nothing can interleave.
    checkEpoch(options, this.#data.get(OWNER_KEY));
    for (const [key, value] of prepared) {
      if (value === undefined) this.#data.delete(key);
      else this.#data.set(key, value);
    }
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.#data.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  /** A snapshot of everything, for tests and for stores built on top of this one. */
  entries(): Record<string, unknown> {
    return Object.fromEntries([...this.#data].map(([key, value]) => [key, copyStorable(key, value)]));
  }

  /** Loads a snapshot (e.g. a file's contents), replacing everything. */
  load(snapshot: Readonly<Record<string, unknown>>): void {
    const copied = Object.entries(snapshot).map(([key, value]) => [key, copyStorable(key, value)] as const);
    this.#data.clear();
    for (const [key, value] of copied) this.#data.set(key, value);
  }
}
