/**
 * WebSocket frames on /api/ws: JSON text frames, a discriminated union on `type`.
 *
 * client → server
 *   auth   { token }                          first frame; nothing else is accepted before it
 *   send   { id, to, toDevice, body, commitment?, receipt?, mode?, access? }
 *                                              server answers `stored` once the envelope is committed;
 *                                              `mode` is the policy mode it was encrypted under (policy.ts; absent: e2ee);
 *                                              `commitment` is the sender's franking commitment (reports.ts);
 *                                              `receipt: true` marks a delivery receipt (the server logs it as one);
 *                                              `access` the key-escrow access field (escrow.ts), with mode key-escrow only
 *   ack    { ids }                            the recipient has the messages: the server deletes them
 *
 * server → client
 *   ready      { username, deviceId, prekeys }   after auth, once the backlog has been pushed
 *   stored     { id, storedAt }                  a send is durable; the sender may forget it
 *   policy     { mode, since, transportKey?, exposure }  the server's policy mode (policy.ts): after `auth`, and on every change
 *   message    { id, from, fromDevice, sentAt, body, commitment?, stamp?, receipt?, mode?, access? }
 *                                                 the commitment comes back with the server's stamp on it;
 *                                                 `receipt: true` passes on the sender's mark (never on sealed ones);
 *                                                 `mode` the policy mode it was sent under (absent: e2ee); in
 *                                                 transport-only the body is the payload the server opened (transport.ts)
 *   prekeys-low{ oneTimePreKeys, kemPreKeys }    upload more (PUT /api/keys)
 *   error      { id?, code, message }            `id` names the request that failed; the socket stays open
 *
 * Envelope bodies are base64url strings that the relay stores and forwards
 * without decoding them for anyone; endpoints decode with fromBase64Url.
 *
 * There is no "delivered" frame: the server's word that it deleted a ciphertext
 * is not delivery, and sealed envelopes have no sender to tell. "Delivered" in
 * the app comes from the recipient's encrypted receipt (shared/client/receipts.ts).
 * (The server used to send one anyway; clients ignored it, and it cost the relay
 * a frame per sender and commit: bench/NOTES.md, 5 December 2026.)
 *
 * Delivery is at least once: a message stays in the mailbox until acked and is
 * pushed again on reconnect. Senders resend until `stored`; the server stores a
 * given (recipient, id) once; recipients drop ids they have seen.
 */
import { z } from 'zod';
import { DeviceIdSchema, MessageIdSchema, TimestampSchema, UsernameSchema, opaqueBytes } from './codec.js';
import { ERROR_CODES } from './errors.js';
import { MAX_ACK_IDS, MAX_ENVELOPE_BODY_BYTES } from './limits.js';
import { PreKeyStatusSchema } from './http.js';
import { AccessFieldSchema } from './escrow.js';
import { EnvelopeModeSchema, PolicyAnnouncementSchema } from './policy.js';
import { FrankingTagSchema } from './reports.js';

export const AuthFrameSchema = z.object({ type: z.literal('auth'), token: z.string().min(16).max(128) }).strict();
export const SendFrameSchema = z
  .object({
    type: z.literal('send'),
    id: MessageIdSchema,
    to: UsernameSchema,
    toDevice: DeviceIdSchema,
    /** The envelope, base64url; forwarded as is (see opaqueBytes). */
    body: opaqueBytes(MAX_ENVELOPE_BODY_BYTES),
    /** The franking commitment to the text inside (reports.ts); the server stamps it. Absent for control messages. */
    commitment: FrankingTagSchema.optional(),
    /**
     * The envelope is a delivery receipt (shared/client/receipts.ts), not a
     * message: what Signal's `urgent: false` tells its server. The relay logs
     * it, so the server's view and its signals can tell receipts from
     * conversation. Sealed envelopes (sealed.ts) have no such field.
     */
    receipt: z.literal(true).optional(),
    /**
     * The policy mode the client encrypted this envelope under (policy.ts);
     * absent means e2ee. A message queued before a switch keeps its mode.
     */
    mode: EnvelopeModeSchema.optional(),
    /** key-escrow: the access field (escrow.ts), required then and refused otherwise (BAD_ACCESS_FIELD). */
    access: AccessFieldSchema.optional(),
  })
  .strict();
export const AckFrameSchema = z.object({ type: z.literal('ack'), ids: z.array(MessageIdSchema).min(1).max(MAX_ACK_IDS) }).strict();

export const ClientFrameSchema = z.discriminatedUnion('type', [AuthFrameSchema, SendFrameSchema, AckFrameSchema]);
/** The union's own members, by their `type`. */
const CLIENT_FRAME_SCHEMAS = new Map<unknown, z.ZodType<ClientFrame, unknown>>(ClientFrameSchema.options.map((schema) => [schema.shape.type.value, schema]));

/**
 * ClientFrameSchema.safeParse, with the frame's own schema picked by `type`
 * first: the union's dispatch cost about a microsecond a frame on the relay's
 * hot path. A frame without a known type goes through the union, for its error.
 */
export function parseClientFrame(raw: unknown): z.ZodSafeParseResult<ClientFrame> {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return (CLIENT_FRAME_SCHEMAS.get(type) ?? ClientFrameSchema).safeParse(raw);
}

export const ReadyFrameSchema = z
  .object({ type: z.literal('ready'), username: UsernameSchema, deviceId: DeviceIdSchema, prekeys: PreKeyStatusSchema })
  .strict();
export const StoredFrameSchema = z.object({ type: z.literal('stored'), id: MessageIdSchema, storedAt: TimestampSchema }).strict();
export const MessageFrameSchema = z
  .object({
    type: z.literal('message'),
    id: MessageIdSchema,
    from: UsernameSchema.nullable(),
    fromDevice: DeviceIdSchema.nullable(),
    sentAt: TimestampSchema,
    body: opaqueBytes(MAX_ENVELOPE_BODY_BYTES),
    /** Present together: the sender's commitment and the server's stamp on (commitment, id, sender, recipient, sentAt). */
    commitment: FrankingTagSchema.optional(),
    stamp: FrankingTagSchema.optional(),
    /**
     * The signed-in sender marked this envelope a delivery receipt (the send
     * frame's `receipt`), passed on so the recipient's device can drop a
     * receipt it cannot read rather than show it (shared/client/incoming.ts).
     * Never present on sealed envelopes: they carry no mark.
     */
    receipt: z.literal(true).optional(),
    /** The mode it was sent under, as its sender said (absent: e2ee). transport-only: `body` is the opened payload (transport.ts). */
    mode: EnvelopeModeSchema.optional(),
    /** key-escrow: the access field its sender attached, passed on for the recipient's check (escrow.ts). */
    access: AccessFieldSchema.optional(),
  })
  .strict();
export const PolicyFrameSchema = PolicyAnnouncementSchema.extend({ type: z.literal('policy') }).strict();
export const PreKeysLowFrameSchema = z
  .object({ type: z.literal('prekeys-low'), oneTimePreKeys: z.number().int().min(0), kemPreKeys: z.number().int().min(0) })
  .strict();
export const ErrorFrameSchema = z
  .object({
    type: z.literal('error'),
    id: z.string().max(64).optional(),
    code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...(keyof typeof ERROR_CODES)[]]),
    message: z.string().max(2000),
  })
  .strict();

export const ServerFrameSchema = z.discriminatedUnion('type', [
  ReadyFrameSchema,
  StoredFrameSchema,
  MessageFrameSchema,
  PolicyFrameSchema,
  PreKeysLowFrameSchema,
  ErrorFrameSchema,
]);

/** Parsed (decoded) frames. */
export type ClientFrame = z.output<typeof ClientFrameSchema>;
export type ServerFrame = z.output<typeof ServerFrameSchema>;
/** Frames as sent on the wire (bytes as base64url strings). */
export type ClientFrameWire = z.input<typeof ClientFrameSchema>;
export type ServerFrameWire = z.input<typeof ServerFrameSchema>;
