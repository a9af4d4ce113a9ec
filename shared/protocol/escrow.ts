/**
 * Key escrow (policy.ts `key-escrow`; docs/lawful-access.md): the access field on
 * the wire, and the agency's escrow API. The field's byte layout is encoded in
 * @envelope/crypto-public escrow-field.ts (both the client's crypto and the
 * server's exception need it); building, checking and forging a field is
 * @envelope/crypto escrow.ts; opening one is server/lawful-access/escrow-*.ts.
 *
 * The access field (Clipper's LEAF, "law enforcement access field", on a modern
 * protocol), attached beside each envelope sent under key-escrow (the send frame's
 * and the message frame's `access`, base64url):
 *
 *   byte 0        version (1)
 *   byte 1        the checkword's width in bytes (2 = 16 bits, 8 = 64 bits)
 *   bytes 2-9     conversation: the first 8 bytes of SHA-256 of the session's associated data
 *   bytes 10-13   message number: the ratchet header's chain index (u32, big-endian)
 *   bytes 14-21   and the first 8 bytes of the ratchet header's ratchet key
 *   then          sealed: crypto_box_seal to the escrow public key of
 *                   the message key (32)
 *                   ‖ u16 length ‖ the AEAD's whole associated data (the session's AD ‖ the ratchet header)
 *                   ‖ u32 offset of the AEAD ciphertext within the session message
 *   last          the checkword (the width in byte 1)
 *
 * Departure from ESCROW.md's plan, in the layout only: byte 1 names the
 * checkword's width, so a field can be parsed without knowing which width was
 * announced when it was made (a message queued before the operator changed it).
 * The checkword covers bytes 0-1 too (crypto escrow.ts), so the width cannot be
 * narrowed after the fact.
 */
import { z } from 'zod';
import { MAX_ACCESS_FIELD_BYTES } from '@envelope/crypto-public';
import { opaqueBytes, TimestampSchema, UsernameSchema } from './codec.js';
import { EscrowCheckBitsSchema, EscrowHolderSchema, ESCROW_THRESHOLD, ESCROW_HOLDERS } from './policy.js';

/** The access field on the wire: base64url, bounded (the relay checks its layout with decodeAccessField). */
export const AccessFieldSchema = opaqueBytes(MAX_ACCESS_FIELD_BYTES);

// --- The agency's escrow API (server/lawful-access/escrow-api.ts) ---
//
//   POST /api/agency/escrow/open  EscrowOpenRequest → EscrowOpenResult
//        (agency token) combine the shares, check them against the escrow public
//        key, open every retained message to or from `username`; audited.
//   POST /api/agency/escrow/leak  EscrowLeakRequest → EscrowLeakResult
//        (agency token) the "escrow key leaks" demonstration, labelled an attack:
//        with the shares, open every retained message of everyone; audited.
//   GET  /api/agency/escrow       → EscrowStatus
//        (agency token) the public key, check width, holders and their share
//        files, how many messages are retained: what the agency page shows.
//
// Errors: 401 without the agency token; 400 BAD_REQUEST for a bad body or fewer
// than ESCROW_THRESHOLD shares; 422 SHARES_DO_NOT_FIT for shares that rebuild a
// key other than the escrow key (never used silently); 409 ESCROW_NOT_SET_UP
// before the escrow key exists (the mode was never key-escrow).

/** A share as its file holds it: base64url text (shamir-secret-sharing's bytes). */
export const MAX_ESCROW_SHARE_CHARS = 128;
export const EscrowShareSchema = z
  .object({
    holder: EscrowHolderSchema,
    share: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'must be a share file\'s base64url text'),
  })
  .strict();
export type EscrowShare = z.output<typeof EscrowShareSchema>;

/** Shares offered: at most one per holder; fewer than the threshold is a 400 with a clear message (the route checks it). */
const SharesSchema = z
  .array(EscrowShareSchema)
  .max(ESCROW_HOLDERS.length)
  .refine((shares) => new Set(shares.map((s) => s.holder)).size === shares.length, 'each holder gives at most one share');

/** Messages per answer (the counts cover everything). */
export const MAX_ESCROW_OPENED = 500;
export const MAX_ESCROW_LEAK_SAMPLE = 20;

export const EscrowOpenRequestSchema = z
  .object({
    username: UsernameSchema,
    /** The warrant's reference as typed: recorded in the audit, never checked (as the intercept console). */
    reference: z.string().trim().min(1).max(200).regex(/^[^\p{Cc}]*$/u, 'must be one line without control characters'),
    shares: SharesSchema,
  })
  .strict();
export const EscrowLeakRequestSchema = z.object({ shares: SharesSchema }).strict();

/** One retained message, as the escrow opened it (or could not). */
export const EscrowOpenedMessageSchema = z
  .object({
    seq: z.number().int().min(1),
    messageId: z.string().max(64),
    sender: UsernameSchema.nullable(),
    recipient: UsernameSchema,
    storedAt: TimestampSchema,
    mode: z.literal('key-escrow'),
    /**
     * opened: the text (or a control message's kind); no-access-field never
     * happens for stored rows; opens-to-nothing: the field's seal or the
     * ciphertext did not open with what it held (a rogue client's field).
     */
    outcome: z.enum(['opened', 'opens-to-nothing']),
    kind: z.enum(['text', 'receipt', 'session-reset', 'unknown']).nullable(),
    text: z.string().max(65_536).nullable(),
  })
  .strict();

export const EscrowOpenResultSchema = z
  .object({
    username: UsernameSchema,
    reference: z.string().max(200),
    /** Who gave the shares that rebuilt the key. */
    holders: z.array(EscrowHolderSchema),
    total: z.number().int().min(0),
    opened: z.number().int().min(0),
    opensToNothing: z.number().int().min(0),
    messages: z.array(EscrowOpenedMessageSchema).max(MAX_ESCROW_OPENED),
    auditSeq: z.number().int().min(1),
  })
  .strict();

export const EscrowLeakResultSchema = z
  .object({
    /** Always true: the page labels this an attack, not a lawful access. */
    attack: z.literal(true),
    holders: z.array(EscrowHolderSchema),
    /** Retained text messages the leaked key opened, of how many people (senders and recipients). */
    messages: z.number().int().min(0),
    /** Retained control messages it opened (delivery receipts, session resets): no words, counted apart. */
    controlMessages: z.number().int().min(0),
    people: z.number().int().min(0),
    opensToNothing: z.number().int().min(0),
    /** The oldest retained message opened: the leak reaches back to it (no forward secrecy for escrowed messages). */
    oldestStoredAt: TimestampSchema.nullable(),
    sample: z.array(EscrowOpenedMessageSchema).max(MAX_ESCROW_LEAK_SAMPLE),
    auditSeq: z.number().int().min(1),
  })
  .strict();

export const EscrowStatusSchema = z
  .object({
    /** False until the mode was first switched to key-escrow (the key is made then). */
    setUp: z.boolean(),
    publicKey: z.string().nullable(),
    checkBits: EscrowCheckBitsSchema,
    threshold: z.literal(ESCROW_THRESHOLD),
    /** Each holder and the file its share sits in (the demo caveat: all on one machine here). */
    holders: z.array(z.object({ holder: EscrowHolderSchema, file: z.string().max(512) }).strict()),
    retained: z.number().int().min(0),
    retentionDays: z.number().int().min(1),
  })
  .strict();

export type EscrowOpenRequest = z.output<typeof EscrowOpenRequestSchema>;
export type EscrowOpenRequestWire = z.input<typeof EscrowOpenRequestSchema>;
export type EscrowLeakRequest = z.output<typeof EscrowLeakRequestSchema>;
export type EscrowOpenedMessage = z.output<typeof EscrowOpenedMessageSchema>;
export type EscrowOpenResult = z.output<typeof EscrowOpenResultSchema>;
export type EscrowLeakResult = z.output<typeof EscrowLeakResultSchema>;
export type EscrowStatus = z.output<typeof EscrowStatusSchema>;
