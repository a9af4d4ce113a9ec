/**
 * The schemas of the records that hold key material: this device's account
 * and identity, its prekeys, a pending key reset, the profile key and the
 * server's keys (the rest, and how keys map to kinds: record-schemas.ts).
 *
 * Keys are Uint8Array. storedBytes also reads the base64url strings profiles
 * saved before keys were stored as bytes: the migration on read.
 */
import { z } from 'zod';
import type { PendingKeyReset } from './key-reset.js';
import type { SelfRecord, StoredKemPreKey, StoredOneTimePreKey, StoredSignedPreKey } from './key-storage.js';
/**
 * A byte field: a Uint8Array as stored today, or the base64url string an
 * older version stored (decoded here: the migration on read). `length` exact
 * when given, else at most `maxLength`.
 */
export declare function storedBytes(length: number | {
    max: number;
}): z.ZodPipe<z.ZodUnion<readonly [z.ZodInstanceOf<Uint8Array<ArrayBuffer>>, z.ZodString]>, z.ZodTransform<Uint8Array<ArrayBufferLike>, string | Uint8Array<ArrayBuffer>>>;
export declare const SignedPreKeyKind: import("./store-records.js").RecordKind<StoredSignedPreKey>;
export declare const OneTimePreKeyKind: import("./store-records.js").RecordKind<StoredOneTimePreKey>;
export declare const KemPreKeyKind: import("./store-records.js").RecordKind<StoredKemPreKey>;
export declare const SelfKind: import("./store-records.js").RecordKind<SelfRecord>;
export declare const ServerCertificateKeyKind: import("./store-records.js").RecordKind<Uint8Array<ArrayBufferLike>>;
export declare const SenderCertificateKind: import("./store-records.js").RecordKind<{
    certificate: Uint8Array;
    expiresAt: number;
}>;
export declare const ProfileKeyKind: import("./store-records.js").RecordKind<Uint8Array<ArrayBufferLike>>;
/** The access key the server holds for us, base64url: the form it was uploaded in and is compared in. */
export declare const AccessKeyRegisteredKind: import("./store-records.js").RecordKind<string>;
export declare const PendingResetKind: import("./store-records.js").RecordKind<PendingKeyReset>;
