/**
 * The plaintext inside every encrypted message: a small versioned JSON object,
 * UTF-8 encoded, then padded by the session layer (shared/crypto-public/padding.ts).
 *
 *   { v: 1, kind: 'text', text, sentAt, fk, pk? }     fk: the franking key (reports.ts), base64url
 *                                                     pk: the sender's profile key (profile-key.ts), base64url
 *   { v: 1, kind: 'session-reset', sentAt, unreadable }   (session-reset.ts)
 *   { v: 1, kind: 'receipt', sentAt, ids }                  (receipts.ts)
 *
 * A session-reset is a control message: the app never shows it as chat. It
 * starts a new session after the recipient's could not read ours, and names
 * the envelopes it could not read so our history can say so. A receipt is one
 * too: the recipient's device names the envelopes of ours it has decrypted and
 * stored, which is what "Delivered" means in the sender's history.
 *
 * `fk` opens the franking commitment that travels beside the ciphertext
 * (shared/crypto-public/franking.ts): with it the recipient can prove the text to the
 * server if they report the message. Only the two ends ever see it.
 *
 * `sentAt` is the sender's clock, and only the recipient sees it: the server
 * knows when it stored the envelope, not when it was written. Decoding is
 * strict (unknown fields, versions or kinds are refused) so a newer client's
 * message is reported as unreadable rather than shown wrong.
 */
import { z } from 'zod';
import { toBase64Url, utf8Decode, utf8Encode } from '@envelope/crypto-public';
import { MessageIdSchema, TimestampSchema, type MessageId } from '@envelope/protocol';
import { ClientError } from './errors.js';

export const MESSAGE_CODEC_VERSION = 1;
/** 32 bytes as canonical unpadded base64url (franking and profile keys). */
const FRANKING_KEY_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
/** Long enough for a chat message; short enough that the worst-case JSON (\uXXXX escapes) stays far below the 64 KiB padding limit. */
export const MAX_TEXT_LENGTH = 4000;

const TextMessageSchema = z
  .object({
    v: z.literal(MESSAGE_CODEC_VERSION),
    kind: z.literal('text'),
    text: z.string().min(1).max(MAX_TEXT_LENGTH),
    sentAt: TimestampSchema,
    fk: z.string().regex(FRANKING_KEY_PATTERN, 'must be a 32-byte franking key as base64url'),
    /** The sender's profile key: lets the recipient seal messages back (profile-key.ts). Optional: older clients sent none. */
    pk: z.string().regex(FRANKING_KEY_PATTERN, 'must be a 32-byte profile key as base64url').optional(),
  })
  .strict();

export type TextMessage = z.output<typeof TextMessageSchema>;

/** Enough for every message a demo sends while one side is reset; older ones go unnamed (they still show as sent). */
export const MAX_UNREADABLE_IDS = 50;

const SessionResetMessageSchema = z
  .object({
    v: z.literal(MESSAGE_CODEC_VERSION),
    kind: z.literal('session-reset'),
    sentAt: TimestampSchema,
    /** Envelope ids of ours the sender could not decrypt, newest last. */
    unreadable: z.array(MessageIdSchema).max(MAX_UNREADABLE_IDS),
  })
  .strict();

export type SessionResetMessage = z.output<typeof SessionResetMessageSchema>;

/**
 * Envelope ids one receipt names at most. A backlog read after a day offline
 * is acknowledged in receipts of this many; with 22-character ids a receipt
 * of up to eight ids pads to 256 bytes, the bucket of the shortest text
 * (padding.ts MIN_MESSAGE_BUCKET), and a full one to 2 KiB: its size says no
 * more than a text's length does.
 */
export const MAX_RECEIPT_IDS = 50;

const ReceiptMessageSchema = z
  .object({
    v: z.literal(MESSAGE_CODEC_VERSION),
    kind: z.literal('receipt'),
    sentAt: TimestampSchema,
    /** Envelope ids the sender of this receipt decrypted and stored, oldest first. */
    ids: z.array(MessageIdSchema).min(1).max(MAX_RECEIPT_IDS),
  })
  .strict();

export type ReceiptMessage = z.output<typeof ReceiptMessageSchema>;
export type DecodedMessage = TextMessage | SessionResetMessage | ReceiptMessage;

const MessageSchema = z.discriminatedUnion('kind', [TextMessageSchema, SessionResetMessageSchema, ReceiptMessageSchema]);

/** Throws INVALID_ARGUMENT for an empty or over-long text, so nothing unsendable is encrypted. */
export function encodeTextMessage(text: string, sentAt: number, frankingKey: Uint8Array, profileKey?: Uint8Array): Uint8Array {
  if (typeof text !== 'string' || text.length === 0) throw new ClientError('INVALID_ARGUMENT', 'message text is empty');
  if (text.length > MAX_TEXT_LENGTH) {
    throw new ClientError('INVALID_ARGUMENT', `message text is ${text.length} characters; at most ${MAX_TEXT_LENGTH} are allowed`);
  }
  const message: TextMessage = {
    v: MESSAGE_CODEC_VERSION,
    kind: 'text',
    text,
    sentAt,
    fk: toBase64Url(frankingKey),
    ...(profileKey ? { pk: toBase64Url(profileKey) } : {}),
  };
  return utf8Encode(JSON.stringify(message));
}

export function encodeSessionReset(unreadable: readonly MessageId[], sentAt: number): Uint8Array {
  const message: SessionResetMessage = { v: MESSAGE_CODEC_VERSION, kind: 'session-reset', sentAt, unreadable: unreadable.slice(-MAX_UNREADABLE_IDS) };
  return utf8Encode(JSON.stringify(message));
}

/** Throws INVALID_ARGUMENT for no ids or more than MAX_RECEIPT_IDS (the caller splits a larger batch). */
export function encodeReceipt(ids: readonly MessageId[], sentAt: number): Uint8Array {
  if (ids.length === 0 || ids.length > MAX_RECEIPT_IDS) {
    throw new ClientError('INVALID_ARGUMENT', `a receipt names 1 to ${MAX_RECEIPT_IDS} envelopes, not ${ids.length}`);
  }
  const message: ReceiptMessage = { v: MESSAGE_CODEC_VERSION, kind: 'receipt', sentAt, ids: [...ids] };
  return utf8Encode(JSON.stringify(message));
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8Decode(bytes));
  } catch {
    throw new ClientError('PROTOCOL_ERROR', 'decrypted message is not UTF-8 JSON');
  }
}

/** Throws PROTOCOL_ERROR unless the bytes are exactly a v1 text message. */
export function decodeTextMessage(bytes: Uint8Array): TextMessage {
  const parsed = TextMessageSchema.safeParse(parseJson(bytes));
  if (!parsed.success) throw new ClientError('PROTOCOL_ERROR', 'decrypted message is not a v1 text message');
  return parsed.data;
}

/** Any v1 message (text or control); throws PROTOCOL_ERROR for anything else. */
export function decodeMessage(bytes: Uint8Array): DecodedMessage {
  const parsed = MessageSchema.safeParse(parseJson(bytes));
  if (!parsed.success) throw new ClientError('PROTOCOL_ERROR', 'decrypted message is not a v1 message');
  return parsed.data;
}
