/**
 * HTTP request and response bodies. Every string and array is bounded and
 * every object is strict: unknown fields are an error, not ignored.
 *
 *   POST /api/auth/challenge                    → Challenge
 *   POST /api/accounts            RegisterRequest → SessionGranted   (409 USERNAME_TAKEN)
 *   POST /api/auth/session        SessionRequest  → SessionGranted
 *   GET  /api/accounts/:name/bundle             → BundleResponse    (consumes one-time prekeys)
 *   PUT  /api/keys                PreKeyUpload    → PreKeyStatus
 *        one-time prekeys added (a refill); a new signed prekey and last-resort KEM prekey
 *        replace the current ones (a rotation), their ids above the current ones
 *   GET  /api/keys                              → PreKeyStatus
 *   GET  /api/info                              → ServerInfo
 *   PUT  /api/devices/self/identity IdentityResetRequest → SessionGranted
 *        replaces the signed-in device's identity key and all its prekeys ("I reinstalled the app")
 *   GET  /api/envelopes/:id                     → StoredEnvelopeResponse
 *        the server's own row for an envelope the signed-in account sent or received (the X-ray)
 */
import { z } from 'zod';
import { ACCESS_KEY_BYTES } from '@envelope/crypto-public';
import { DeviceIdSchema, MessageIdSchema, PreKeyIdSchema, TimestampSchema, UsernameSchema, fixedBytes } from './codec.js';
import { ERROR_CODES } from './errors.js';
import { EnvelopeKindSchema } from './operator.js';
import { PolicyModeSchema } from './policy.js';
import {
  AGE_BANDS,
  CHALLENGE_BYTES,
  KEM_PUBLIC_KEY_BYTES,
  KEY_BYTES,
  MAX_KEM_PREKEYS_PER_UPLOAD,
  MAX_ONE_TIME_PREKEYS_PER_UPLOAD,
  SIGNATURE_BYTES,
} from './limits.js';

export const SignedPreKeySchema = z.object({ id: PreKeyIdSchema, publicKey: fixedBytes(KEY_BYTES), signature: fixedBytes(SIGNATURE_BYTES) }).strict();
export const OneTimePreKeySchema = z.object({ id: PreKeyIdSchema, publicKey: fixedBytes(KEY_BYTES) }).strict();
export const KemPreKeySchema = z
  .object({ id: PreKeyIdSchema, publicKey: fixedBytes(KEM_PUBLIC_KEY_BYTES), signature: fixedBytes(SIGNATURE_BYTES), lastResort: z.boolean() })
  .strict();

function distinctIds(keys: readonly { id: number }[]): boolean {
  return new Set(keys.map((k) => k.id)).size === keys.length;
}

export const ChallengeSchema = z.object({ challenge: fixedBytes(CHALLENGE_BYTES), expiresAt: TimestampSchema }).strict();

export const RegisterRequestSchema = z
  .object({
    username: UsernameSchema,
    identityKey: fixedBytes(KEY_BYTES),
    signedPreKey: SignedPreKeySchema,
    oneTimePreKeys: z.array(OneTimePreKeySchema).max(MAX_ONE_TIME_PREKEYS_PER_UPLOAD).refine(distinctIds, 'prekey ids must be distinct'),
    kemPreKeys: z
      .array(KemPreKeySchema)
      .min(1)
      .max(MAX_KEM_PREKEYS_PER_UPLOAD + 1)
      .refine(distinctIds, 'prekey ids must be distinct')
      .refine((keys) => keys.filter((k) => k.lastResort).length === 1, 'exactly one KEM prekey must be the last-resort key'),
    ageBand: z.enum(AGE_BANDS).optional(),
    /**
     * The account's unidentified access key (shared/crypto-public/access-key.ts): sealed
     * envelopes to it must carry this. Optional: an account without one accepts
     * no sealed envelopes until its client uploads one (PUT /api/accounts/self/access-key).
     */
    accessKey: fixedBytes(ACCESS_KEY_BYTES).optional(),
    challenge: fixedBytes(CHALLENGE_BYTES),
    /** Sig(IK, registrationProof(challenge, username)) */
    signature: fixedBytes(SIGNATURE_BYTES),
  })
  .strict();

export const SessionRequestSchema = z
  .object({
    username: UsernameSchema,
    deviceId: DeviceIdSchema,
    challenge: fixedBytes(CHALLENGE_BYTES),
    /** Sig(IK, sessionProof(challenge, username, deviceId)) */
    signature: fixedBytes(SIGNATURE_BYTES),
  })
  .strict();

export const SessionGrantedSchema = z
  .object({ username: UsernameSchema, deviceId: DeviceIdSchema, token: z.string().min(16).max(128), expiresAt: TimestampSchema })
  .strict();

export const DeviceBundleSchema = z
  .object({
    deviceId: DeviceIdSchema,
    identityKey: fixedBytes(KEY_BYTES),
    signedPreKey: SignedPreKeySchema,
    oneTimePreKey: OneTimePreKeySchema.optional(),
    kemPreKey: KemPreKeySchema.optional(),
  })
  .strict();

export const BundleResponseSchema = z.object({ username: UsernameSchema, devices: z.array(DeviceBundleSchema).min(1).max(16) }).strict();

export const PreKeyUploadSchema = z
  .object({
    signedPreKey: SignedPreKeySchema.optional(),
    oneTimePreKeys: z.array(OneTimePreKeySchema).max(MAX_ONE_TIME_PREKEYS_PER_UPLOAD).refine(distinctIds, 'prekey ids must be distinct').optional(),
    kemPreKeys: z.array(KemPreKeySchema).max(MAX_KEM_PREKEYS_PER_UPLOAD + 1).refine(distinctIds, 'prekey ids must be distinct').optional(),
  })
  .strict();

export const PreKeyStatusSchema = z
  .object({ oneTimePreKeys: z.number().int().min(0), kemPreKeys: z.number().int().min(0), low: z.boolean() })
  .strict();

export const ServerInfoSchema = z
  .object({ name: z.literal('envelope'), protocolVersion: z.number().int(), senderCertificateKey: fixedBytes(KEY_BYTES), time: TimestampSchema })
  .strict();

/** RFC 9457 problem details, with our stable `code`. */
export const ProblemSchema = z
  .object({
    type: z.string().max(200),
    title: z.string().max(200),
    status: z.number().int(),
    code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...(keyof typeof ERROR_CODES)[]]),
    detail: z.string().max(2000).optional(),
  })
  .strict();

/**
 * A device starts over with a new identity key (as after reinstalling the
 * app). Authorised twice: the bearer token proves the old key (the caller is
 * this device), and `signature` proves possession of the new one, over
 * registrationProof(challenge, username) as at sign-up. All the device's old
 * prekeys are deleted; contacts see the new key as a key change.
 */
export const IdentityResetRequestSchema = z
  .object({
    identityKey: fixedBytes(KEY_BYTES),
    signedPreKey: SignedPreKeySchema,
    oneTimePreKeys: RegisterRequestSchema.shape.oneTimePreKeys,
    kemPreKeys: RegisterRequestSchema.shape.kemPreKeys,
    challenge: fixedBytes(CHALLENGE_BYTES),
    signature: fixedBytes(SIGNATURE_BYTES),
  })
  .strict();

/** SHA-256 of a stored ciphertext, base64url (43 characters). */
export const CIPHERTEXT_DIGEST_CHARS = 43;

/**
 * Exactly what the server holds for one envelope: its metadata-log row, and
 * the ciphertext itself while it waits in the mailbox. After delivery the
 * ciphertext is gone and only its SHA-256 digest remains in the log, so the
 * sender's X-ray can still show that the bytes it sent are the bytes the
 * server kept. Nothing here is or can become plaintext.
 */
export const StoredEnvelopeSchema = z
  .object({
    id: MessageIdSchema,
    sender: UsernameSchema.nullable(),
    senderDevice: DeviceIdSchema.nullable(),
    recipient: UsernameSchema,
    recipientDevice: DeviceIdSchema,
    /** When the server committed it (server clock). */
    receivedAt: TimestampSchema,
    /** Ciphertext bytes. */
    size: z.number().int().min(0),
    kind: EnvelopeKindSchema,
    /** When the recipient's device acked it and the server deleted the ciphertext; null while stored. */
    deliveredAt: TimestampSchema.nullable(),
    ciphertextSha256: z.string().length(CIPHERTEXT_DIGEST_CHARS).regex(/^[A-Za-z0-9_-]*$/),
    /** The stored ciphertext (base64url, as sent) while in the mailbox; null once deleted. In transport-only: the opened payload the server keeps for delivery. */
    ciphertext: z.string().max(200_000).regex(/^[A-Za-z0-9_-]*$/).nullable(),
    /**
     * The policy mode its sender encrypted it under (policy.ts). For a
     * transport-only envelope the server opened it: the digest and the stored
     * bytes are those of the opened payload, not of what the sender sent.
     */
    mode: PolicyModeSchema,
  })
  .strict();
export const StoredEnvelopeResponseSchema = z.object({ envelope: StoredEnvelopeSchema }).strict();

/**
 * GET /api/envelopes/:id/sealed?to=NAME&toDevice=N, on a request with NO token:
 * the row of an envelope sent with sealed sender, for its sender's X-ray. The
 * server does not know who sent it, and a token would tell it; the random id
 * and the recipient device name the row instead. Only sealed rows answer (an
 * ordinary row names its sender, which a stranger holding the id must not learn).
 */
export const SealedEnvelopeQuerySchema = z
  .object({
    to: UsernameSchema,
    toDevice: z
      .string()
      .regex(/^[1-9][0-9]{0,9}$/, 'must be a device number')
      .transform(Number)
      .pipe(DeviceIdSchema),
  })
  .strict();

export type IdentityResetRequest = z.input<typeof IdentityResetRequestSchema>;
export type StoredEnvelope = z.output<typeof StoredEnvelopeSchema>;
export type RegisterRequest = z.input<typeof RegisterRequestSchema>;
export type SessionRequest = z.input<typeof SessionRequestSchema>;
export type PreKeyUpload = z.input<typeof PreKeyUploadSchema>;
export type BundleResponse = z.output<typeof BundleResponseSchema>;
export type DeviceBundle = z.output<typeof DeviceBundleSchema>;
export type PreKeyStatus = z.output<typeof PreKeyStatusSchema>;
export type Problem = z.output<typeof ProblemSchema>;
