/**
 * The schemas of the records that hold key material: this device's account
 * and identity, its prekeys, a pending key reset, the profile key and the
 * server's keys (the rest, and how keys map to kinds: record-schemas.ts).
 *
 * Keys are Uint8Array. storedBytes also reads the base64url strings profiles
 * saved before keys were stored as bytes: the migration on read.
 */
import { z } from 'zod';
import { ACCESS_KEY_BYTES, PROFILE_KEY_BYTES, fromBase64Url } from '@envelope/crypto-public';
import {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SECRET_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  MLKEM768_PUBLIC_KEY_BYTES,
  MLKEM768_SECRET_KEY_BYTES,
  X25519_KEY_BYTES,
} from '@envelope/crypto-public';
import { DeviceIdSchema, opaqueBytes, PreKeyIdSchema, TimestampSchema, UsernameSchema, MAX_ENVELOPE_BODY_BYTES, MAX_KEM_PREKEYS_PER_UPLOAD, MAX_ONE_TIME_PREKEYS_PER_UPLOAD } from '@envelope/protocol';
import type { PendingKeyReset } from './key-reset.js';
import type { SelfRecord, StoredKemPreKey, StoredOneTimePreKey, StoredSignedPreKey } from './key-storage.js';
import { recordKind } from './store-records.js';

/**
 * A byte field: a Uint8Array as stored today, or the base64url string an
 * older version stored (decoded here: the migration on read). `length` exact
 * when given, else at most `maxLength`.
 */
export function storedBytes(length: number | { max: number }) {
  const fits = (bytes: Uint8Array) => (typeof length === 'number' ? bytes.length === length : bytes.length <= length.max);
  const rule = typeof length === 'number' ? `must be ${length} bytes` : `must be at most ${length.max} bytes`;
  return z.union([z.instanceof(Uint8Array), z.string()]).transform((value, ctx) => {
    let bytes: Uint8Array;
    try {
      bytes = typeof value === 'string' ? fromBase64Url(value, 'value') : value;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not valid base64url' });
      return z.NEVER;
    }
    if (!fits(bytes)) {
      ctx.addIssue({ code: 'custom', message: rule });
      return z.NEVER;
    }
    return bytes;
  });
}

/** Every record this client writes is version 1 so far; a schema names the version it reads. */
const V1 = z.literal(1);
/** A base64url Ed25519 public key, as the server is sent it. */
const base64PublicKey = opaqueBytes(ED25519_PUBLIC_KEY_BYTES);
/** Prekeys a key reset makes at once: a signed one, the one-time ones, the KEM ones. */
const MAX_PREKEYS_PER_SET = 1 + MAX_ONE_TIME_PREKEYS_PER_UPLOAD + MAX_KEM_PREKEYS_PER_UPLOAD;
/** Retired prekeys kept through their grace period: two per rotation, rotations weeks apart. */
const MAX_RETIRED_PREKEYS = 64;
/** Longer than any http(s) address a person types or a QR code holds. */
const SERVER_URL_MAX_CHARS = 2048;
const retiredKeyPattern = /^(spk|kem)\/\d+$/;
const preKeyEntryPattern = /^(spk|otk|kem)\/\d+$/;

const identitySchema = z
  .object({ publicKey: storedBytes(ED25519_PUBLIC_KEY_BYTES), privateKey: storedBytes(ED25519_SECRET_KEY_BYTES) })
  .strict();

export const SignedPreKeyKind = recordKind<StoredSignedPreKey>(
  'signed prekey',
  z
    .object({
      id: PreKeyIdSchema,
      publicKey: storedBytes(X25519_KEY_BYTES),
      privateKey: storedBytes(X25519_KEY_BYTES),
      signature: storedBytes(ED25519_SIGNATURE_BYTES),
    })
    .strict(),
);

export const OneTimePreKeyKind = recordKind<StoredOneTimePreKey>(
  'one-time prekey',
  z.object({ id: PreKeyIdSchema, publicKey: storedBytes(X25519_KEY_BYTES), privateKey: storedBytes(X25519_KEY_BYTES) }).strict(),
);

export const KemPreKeyKind = recordKind<StoredKemPreKey>(
  'KEM prekey',
  z
    .object({
      id: PreKeyIdSchema,
      publicKey: storedBytes(MLKEM768_PUBLIC_KEY_BYTES),
      privateKey: storedBytes(MLKEM768_SECRET_KEY_BYTES),
      signature: storedBytes(ED25519_SIGNATURE_BYTES),
      lastResort: z.boolean(),
    })
    .strict(),
);

const selfSchema = z
  .object({
    v: V1,
    username: UsernameSchema,
    deviceId: DeviceIdSchema,
    serverUrl: z.string().min(1).max(SERVER_URL_MAX_CHARS),
    identity: identitySchema,
    signedPreKeyId: PreKeyIdSchema,
    nextOneTimePreKeyId: PreKeyIdSchema,
    nextKemPreKeyId: PreKeyIdSchema,
    registered: z.boolean(),
    createdAt: TimestampSchema,
    rotation: z
      .object({
        publishedAt: TimestampSchema,
        lastResortKemPreKeyId: PreKeyIdSchema,
        pending: z.object({ signedPreKeyId: PreKeyIdSchema, lastResortKemPreKeyId: PreKeyIdSchema }).strict().optional(),
        retired: z
          .array(z.object({ key: z.string().regex(retiredKeyPattern), retiredAt: TimestampSchema }).strict())
          .max(MAX_RETIRED_PREKEYS),
      })
      .strict()
      .optional(),
  })
  .strict();

export const SelfKind = recordKind<SelfRecord>('account record', selfSchema);

export const ServerCertificateKeyKind = recordKind<Uint8Array>('server certificate key', storedBytes(ED25519_PUBLIC_KEY_BYTES));

export const SenderCertificateKind = recordKind<{ certificate: Uint8Array; expiresAt: number }>(
  'sender certificate',
  z.object({ certificate: storedBytes({ max: MAX_ENVELOPE_BODY_BYTES }), expiresAt: TimestampSchema }).strict(),
);

export const ProfileKeyKind = recordKind<Uint8Array>('profile key', storedBytes(PROFILE_KEY_BYTES));

/** The access key the server holds for us, base64url: the form it was uploaded in and is compared in. */
export const AccessKeyRegisteredKind = recordKind<string>('registered access key', opaqueBytes(ACCESS_KEY_BYTES));

/** A public key or signature as uploaded (base64url), bounded by the largest: an ML-KEM-768 public key. */
const wirePublic = opaqueBytes(MLKEM768_PUBLIC_KEY_BYTES);
const preKeyRecordSchema = z.union([SignedPreKeyKind.schema, OneTimePreKeyKind.schema, KemPreKeyKind.schema]);

export const PendingResetKind = recordKind<PendingKeyReset>(
  'pending key reset',
  z
    .object({
      v: V1,
      createdAt: TimestampSchema,
      self: selfSchema,
      preKeys: z
        .record(z.string().regex(preKeyEntryPattern), preKeyRecordSchema)
        .refine((map) => Object.keys(map).length <= MAX_PREKEYS_PER_SET, 'too many prekeys'),
      upload: z
        .object({
          identityKey: base64PublicKey,
          signedPreKey: z.object({ id: PreKeyIdSchema, publicKey: wirePublic, signature: wirePublic }).strict(),
          oneTimePreKeys: z.array(z.object({ id: PreKeyIdSchema, publicKey: wirePublic }).strict()).max(MAX_ONE_TIME_PREKEYS_PER_UPLOAD),
          kemPreKeys: z
            .array(z.object({ id: PreKeyIdSchema, publicKey: wirePublic, signature: wirePublic, lastResort: z.boolean() }).strict())
            .max(MAX_KEM_PREKEYS_PER_UPLOAD),
        })
        .strict(),
    })
    .strict(),
);
