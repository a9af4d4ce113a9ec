/**
 * HTTP request and response bodies. Every string and array is bounded and
 * every object is strict: unknown fields are an error, not ignored.
 *
 *   POST /api/auth/challenge                    → Challenge
 *   POST /api/accounts            RegisterRequest → SessionGranted   (409 USERNAME_TAKEN)
 *   POST /api/auth/session        SessionRequest  → SessionGranted
 *   GET  /api/accounts/:name/bundle             → BundleResponse    (consumes one-time prekeys)
 *   PUT  /api/keys                PreKeyUpload    → PreKeyStatus
 *   GET  /api/keys                              → PreKeyStatus
 *   GET  /api/info                              → ServerInfo
 */
import { z } from 'zod';
import { DeviceIdSchema, PreKeyIdSchema, TimestampSchema, UsernameSchema, fixedBytes } from './codec.js';
import { ERROR_CODES } from './errors.js';
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

export type RegisterRequest = z.input<typeof RegisterRequestSchema>;
export type SessionRequest = z.input<typeof SessionRequestSchema>;
export type PreKeyUpload = z.input<typeof PreKeyUploadSchema>;
export type BundleResponse = z.output<typeof BundleResponseSchema>;
export type DeviceBundle = z.output<typeof DeviceBundleSchema>;
export type PreKeyStatus = z.output<typeof PreKeyStatusSchema>;
export type Problem = z.output<typeof ProblemSchema>;
