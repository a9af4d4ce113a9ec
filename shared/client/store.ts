/**
 * Where a client keeps its profile: identity, prekeys, sessions, contacts,
 * outbox and inbox. The interface is deliberately small so that a browser
 * (IndexedDB), a CLI (one JSON file) and tests (memory) can each implement it
 * in a few lines.
 *
 * Values are JSON-serialisable data (no Uint8Array, no class instances); bytes
 * are stored as base64url strings. Every `put` is atomic: after a crash either
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
  /** The stored value, or undefined. The caller owns the returned copy. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Writes every entry at once; an `undefined` value deletes that key. */
  put(entries: Readonly<Record<string, unknown>>, options?: PutOptions): Promise<void>;
  /** The keys that start with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
}

/**
 * Checks that a value survives JSON unchanged in kind, so a store that works in
 * memory cannot hide a value (a Uint8Array, a Map) that IndexedDB or a file
 * would mangle. Returns the JSON text.
 */
export function toJsonText(key: string, value: unknown): string {
  const text = JSON.stringify(value, (_field, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) {
      throw new TypeError(`store: value for "${key}" is not plain JSON data`);
    }
    if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError(`store: value for "${key}" has a non-finite number`);
    return v;
  });
  if (text === undefined) throw new TypeError(`store: value for "${key}" is not JSON-serialisable`);
  return text;
}

/** The owner epoch in the stored owner record's JSON text (0 when there is none). */
export function epochOf(ownerText: string | undefined): number {
  if (ownerText === undefined) return 0;
  const epoch = (JSON.parse(ownerText) as { epoch?: unknown }).epoch;
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
export function checkEpoch(options: PutOptions | undefined, ownerText: string | undefined): void {
  if (options?.ifEpoch === undefined) return;
  const found = epochOf(ownerText);
  if (found !== options.ifEpoch) throw notOwnerError(options.ifEpoch, found);
}

/** A store in memory: for tests and for a browser tab that keeps nothing. */
export class MemoryStore implements ClientStore {
  // Values are kept as JSON text, so callers can never alias stored state.
  readonly #data = new Map<string, string>();

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const text = this.#data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async put(entries: Readonly<Record<string, unknown>>, options?: PutOptions): Promise<void> {
    // Serialise everything first: if any value is refused, nothing is written.
    const prepared = Object.entries(entries).map(([key, value]) => [key, value === undefined ? undefined : toJsonText(key, value)] as const);
    // The check and the writes run with no await in between: nothing can interleave.
    checkEpoch(options, this.#data.get(OWNER_KEY));
    for (const [key, text] of prepared) {
      if (text === undefined) this.#data.delete(key);
      else this.#data.set(key, text);
    }
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.#data.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  /** A snapshot of everything, for tests and for stores built on top of this one. */
  entries(): Record<string, unknown> {
    return Object.fromEntries([...this.#data].map(([key, text]) => [key, JSON.parse(text) as unknown]));
  }

  /** Loads a snapshot (e.g. a file's contents), replacing everything. */
  load(snapshot: Readonly<Record<string, unknown>>): void {
    this.#data.clear();
    for (const [key, value] of Object.entries(snapshot)) this.#data.set(key, toJsonText(key, value));
  }
}
