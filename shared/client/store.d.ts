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
export declare const OWNER_KEY = "owner";
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
/**
 * A deep copy of `value` as plain data, so no caller can alias stored state
 * and a store that works in memory cannot hide a value (a Map, a class
 * instance, NaN) that IndexedDB or a file would mangle. Uint8Arrays (any view
 * onto a buffer, a Node Buffer too) are copied into plain Uint8Arrays of their
 * own. Throws TypeError naming the key for anything else.
 */
export declare function copyStorable(key: string, value: unknown, depth?: number): unknown;
/** The owner epoch in the stored owner record (0 when there is none, or it has none). */
export declare function epochOf(owner: unknown): number;
/** The error a fenced put rejects with. */
export declare function notOwnerError(expected: number, found: number): ClientError;
/** Refuses a fenced put whose epoch is not the stored one. */
export declare function checkEpoch(options: PutOptions | undefined, owner: unknown): void;
/** A store in memory: for tests and for a browser tab that keeps nothing. */
export declare class MemoryStore implements ClientStore {
    #private;
    get(key: string): Promise<unknown>;
    put(entries: Readonly<Record<string, unknown>>, options?: PutOptions): Promise<void>;
    list(prefix: string): Promise<string[]>;
    /** A snapshot of everything, for tests and for stores built on top of this one. */
    entries(): Record<string, unknown>;
    /** Loads a snapshot (e.g. a file's contents), replacing everything. */
    load(snapshot: Readonly<Record<string, unknown>>): void;
}
