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
import { type MessageId } from '@envelope/protocol';
export declare const MESSAGE_CODEC_VERSION = 1;
/** Long enough for a chat message; short enough that the worst-case JSON (\uXXXX escapes) stays far below the 64 KiB padding limit. */
export declare const MAX_TEXT_LENGTH = 4000;
declare const TextMessageSchema: z.ZodObject<{
    v: z.ZodLiteral<1>;
    kind: z.ZodLiteral<"text">;
    text: z.ZodString;
    sentAt: z.ZodNumber;
    fk: z.ZodString;
    pk: z.ZodOptional<z.ZodString>;
}, z.core.$strict>;
export type TextMessage = z.output<typeof TextMessageSchema>;
/** Enough for every message a demo sends while one side is reset; older ones go unnamed (they still show as sent). */
export declare const MAX_UNREADABLE_IDS = 50;
declare const SessionResetMessageSchema: z.ZodObject<{
    v: z.ZodLiteral<1>;
    kind: z.ZodLiteral<"session-reset">;
    sentAt: z.ZodNumber;
    unreadable: z.ZodArray<z.core.$ZodBranded<z.ZodString, "MessageId", "out">>;
}, z.core.$strict>;
export type SessionResetMessage = z.output<typeof SessionResetMessageSchema>;
/**
 * Envelope ids one receipt names at most. A backlog read after a day offline
 * is acknowledged in receipts of this many; with 22-character ids a receipt
 * of up to eight ids pads to 256 bytes, the bucket of the shortest text
 * (padding.ts MIN_MESSAGE_BUCKET), and a full one to 2 KiB: its size says no
 * more than a text's length does.
 */
export declare const MAX_RECEIPT_IDS = 50;
declare const ReceiptMessageSchema: z.ZodObject<{
    v: z.ZodLiteral<1>;
    kind: z.ZodLiteral<"receipt">;
    sentAt: z.ZodNumber;
    ids: z.ZodArray<z.core.$ZodBranded<z.ZodString, "MessageId", "out">>;
}, z.core.$strict>;
export type ReceiptMessage = z.output<typeof ReceiptMessageSchema>;
export type DecodedMessage = TextMessage | SessionResetMessage | ReceiptMessage;
/** Throws INVALID_ARGUMENT for an empty or over-long text, so nothing unsendable is encrypted. */
export declare function encodeTextMessage(text: string, sentAt: number, frankingKey: Uint8Array, profileKey?: Uint8Array): Uint8Array;
export declare function encodeSessionReset(unreadable: readonly MessageId[], sentAt: number): Uint8Array;
/** Throws INVALID_ARGUMENT for no ids or more than MAX_RECEIPT_IDS (the caller splits a larger batch). */
export declare function encodeReceipt(ids: readonly MessageId[], sentAt: number): Uint8Array;
/** Throws PROTOCOL_ERROR unless the bytes are exactly a v1 text message. */
export declare function decodeTextMessage(bytes: Uint8Array): TextMessage;
/** Any v1 message (text or control); throws PROTOCOL_ERROR for anything else. */
export declare function decodeMessage(bytes: Uint8Array): DecodedMessage;
export {};
