/**
 * Typed reads from a ClientStore. A store hands back `unknown` (store.ts): a
 * profile can be damaged on disk, edited by hand, or written by an older
 * version, so every record is parsed by the schema of its kind
 * (record-schemas.ts) on load. A record that does not parse is a ClientError
 * STORE_CORRUPT naming the key and what is wrong with it (the field and the
 * rule, never the value: values hold keys), not a crash deep in libsodium or
 * a half-built object.
 *
 * This file needs nothing but zod, so the web app's storage (loaded before
 * libsodium) can use it.
 *
 * Migration happens here too: a schema accepts the forms older versions wrote
 * (bytes as base64url strings) and returns today's (Uint8Array), so a profile
 * saved before bytes were stored as bytes loads as it is, and is rewritten in
 * the new form the next time its record is written.
 */
import { z } from 'zod';
import { ClientError } from './errors.js';
import type { ClientStore } from './store.js';
export interface RecordKind<T> {
    /** In plain words, for error messages ("signed prekey", "inbox entry"). */
    readonly name: string;
    readonly schema: z.ZodType<T>;
}
export declare function recordKind<T>(name: string, schema: z.ZodType<T>): RecordKind<T>;
export declare function storeCorrupt(kind: RecordKind<unknown>, key: string, problem: string): ClientError;
/** Parses a stored value as `kind`; throws STORE_CORRUPT naming `key`. */
export declare function parseRecord<T>(kind: RecordKind<T>, key: string, value: unknown): T;
/** The record at `key`, parsed as `kind`, or undefined when there is none. */
export declare function readRecord<T>(store: Pick<ClientStore, 'get'>, kind: RecordKind<T>, key: string): Promise<T | undefined>;
/** Every record under `prefix` (sorted by key), each parsed as `kind`. */
export declare function readRecords<T>(store: Pick<ClientStore, 'get' | 'list'>, kind: RecordKind<T>, prefix: string): Promise<{
    key: string;
    record: T;
}[]>;
