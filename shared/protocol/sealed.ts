/**
 * Sealed sender over HTTP (shared/crypto/sealed-sender.ts).
 *
 *   GET  /api/sender-certificate   (signed in) → SenderCertificateResponse
 *        a short-lived certificate, signed by the server, naming this device
 *        and its identity key; the sender puts it inside sealed envelopes.
 *   POST /api/sealed               (NOT signed in) SealedSendRequest → SealedStored
 *        the envelope, on a request that carries no token, so the server
 *        cannot tie it to an account. It still sees the recipient, the time,
 *        the size and the client's network address. The request must carry the
 *        recipient's unidentified access key in UNIDENTIFIED_ACCESS_HEADER
 *        (shared/crypto-public/access-key.ts); without it, or with a wrong one: 401
 *        SEALED_ACCESS_DENIED, and nothing is stored.
 *   PUT  /api/accounts/self/access-key (signed in) AccessKeyUpload → 204
 *        registers (or replaces) the account's access key.
 *
 * The answer means what `stored` means on the WebSocket: the envelope is committed.
 */
import { z } from 'zod';
import { ACCESS_KEY_BYTES } from '@envelope/crypto-public';
import { DeviceIdSchema, fixedBytes, MessageIdSchema, opaqueBytes, TimestampSchema, UsernameSchema } from './codec.js';
import { MAX_ENVELOPE_BODY_BYTES } from './limits.js';
import { EnvelopeModeSchema } from './policy.js';
import { FrankingTagSchema } from './reports.js';

/** A certificate is at most 142 bytes (a 32-byte name at most, a key, a signature: MAX_ENCODED_CERTIFICATE_BYTES). */
export const MAX_SENDER_CERTIFICATE_BYTES = 256;

export const SenderCertificateResponseSchema = z
  .object({
    /** The encoded certificate (sender-certificate.ts), base64url. */
    certificate: opaqueBytes(MAX_SENDER_CERTIFICATE_BYTES),
    expiresAt: TimestampSchema,
  })
  .strict();

export const SealedSendRequestSchema = z
  .object({
    id: MessageIdSchema,
    to: UsernameSchema,
    toDevice: DeviceIdSchema,
    body: opaqueBytes(MAX_ENVELOPE_BODY_BYTES),
    commitment: FrankingTagSchema.optional(),
    /** The policy mode it was encrypted under (policy.ts; absent: e2ee), as on the WebSocket's send frame. */
    mode: EnvelopeModeSchema.optional(),
  })
  .strict();

/** Signal's header (`Unidentified-Access-Key`); the value is the key as base64url, like every byte field here (Signal's is standard base64). */
export const UNIDENTIFIED_ACCESS_HEADER = 'unidentified-access-key';

/** The header's value: exactly an access key. */
export const AccessKeyHeaderSchema = fixedBytes(ACCESS_KEY_BYTES);

export const AccessKeyUploadSchema = z.object({ accessKey: fixedBytes(ACCESS_KEY_BYTES) }).strict();

export const SealedStoredSchema = z.object({ id: MessageIdSchema, storedAt: TimestampSchema, duplicate: z.boolean() }).strict();

export type SenderCertificateResponse = z.output<typeof SenderCertificateResponseSchema>;
export type SealedSendRequest = z.output<typeof SealedSendRequestSchema>;
export type SealedSendRequestWire = z.input<typeof SealedSendRequestSchema>;
export type AccessKeyUploadWire = z.input<typeof AccessKeyUploadSchema>;
export type SealedStored = z.output<typeof SealedStoredSchema>;
