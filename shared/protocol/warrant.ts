/**
 * The warrant answer: everything the server holds about one account, as it
 * would hand it to an investigator with a lawful request.
 *
 *   GET /api/operator/warrant/:username → WarrantAnswer  (operator token; 404 NOT_FOUND if no such account)
 *
 * It ends with `notProvided`: what the server could not hand over and why.
 * Every array is bounded; where the server holds more than a list carries,
 * the `total` beside it says so, so a truncated list never reads as complete.
 * In e2ee nothing here carries a plaintext: the server has none (envelope
 * bodies are ciphertext it has no key for). Messages sent under a
 * content-access mode (policy.ts: transport-only) are the exception: the server
 * read them, and `readableMessages` hands over their text with the mode.
 */
import { z } from 'zod';
import { DeviceIdSchema, MessageIdSchema, PreKeyIdSchema, TimestampSchema, UsernameSchema } from './codec.js';
import { AGE_BANDS, KEY_BYTES, MAX_ENVELOPE_BODY_BYTES } from './limits.js';
import { ContentKindSchema, MAX_CONTENT_TEXT } from './content.js';
import { EnvelopeKindSchema, EnvelopeReceiptSchema, MAX_DEVICES_PER_ACCOUNT, NetworkAddressSchema } from './operator.js';
import { EnvelopeModeSchema, PolicyModeSchema } from './policy.js';
import { QueuedReportSchema } from './reports.js';

/** Contacts listed, the busiest first: far beyond one person's real address book. */
export const MAX_WARRANT_CONTACTS = 1_000;
/** Metadata-log rows in the timeline, newest first (`total` counts them all). */
export const MAX_WARRANT_TIMELINE = 1_000;
/**
 * Envelopes with their whole ciphertext, per list (waiting for the account;
 * sent by it, waiting for others). A body is at most ~93 KB as base64url, so
 * 100 keep the worst case near 10 MB per list; a classroom mailbox holds a few.
 */
export const MAX_WARRANT_STORED_ENVELOPES = 100;
/** User reports about messages the account sent (verified), and reporters' unverified claims (sealed sender), each list. */
export const MAX_WARRANT_REPORTS = 500;
/** Address-log events per list (the account's own; sealed sends from its addresses). */
export const MAX_WARRANT_ADDRESS_EVENTS = 1_000;
/** What the address log records (STORE_ADDRESSES=on): never one row per relayed envelope. */
export const ADDRESS_EVENTS = ['registered', 'signed-in', 'connected', 'sealed-send'] as const;
/** Messages the server read (content log), oldest first (`total` counts them all). */
export const MAX_WARRANT_READABLE_MESSAGES = 1_000;
/** Statements of what the server could not provide. */
export const MAX_NOT_PROVIDED = 20;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const base64Url = (maxChars: number) => z.string().max(maxChars).regex(/^[A-Za-z0-9_-]*$/, 'must be base64url');
const encodedLength = (bytes: number) => Math.ceil((bytes * 4) / 3);
const SHA256_BYTES = 32;
const plainText = (max: number) => z.string().min(1).max(max);

export const WarrantDeviceSchema = z
  .object({
    deviceId: DeviceIdSchema,
    registeredAt: TimestampSchema,
    /** Public Ed25519 identity key, base64url. */
    identityKey: base64Url(encodedLength(KEY_BYTES)).length(encodedLength(KEY_BYTES)),
    /** The public half of the signed prekey; null if the device never uploaded one (or reset). */
    signedPreKey: z
      .object({
        id: PreKeyIdSchema,
        publicKey: base64Url(encodedLength(KEY_BYTES)).length(encodedLength(KEY_BYTES)),
        uploadedAt: TimestampSchema,
      })
      .strict()
      .nullable(),
    /** One-time X25519 prekeys not yet handed out (public halves only; the server never had the private ones). */
    oneTimePreKeysLeft: count,
    /** One-time ML-KEM prekeys not yet handed out (not counting the last-resort key). */
    kemPreKeysLeft: count,
    /** Whether a last-resort ML-KEM key (reused when the one-time ones run out) is on file. */
    hasLastResortKemKey: z.boolean(),
    /** Unexpired sign-ins (the server keeps only a hash of each token, which is not handed over). */
    activeSignIns: count,
  })
  .strict();

/** Someone the account exchanged envelopes with, from the metadata log. */
export const WarrantContactSchema = z
  .object({
    username: UsernameSchema,
    /** Envelopes the account sent to them (attributed: sealed-sender envelopes cannot be counted here; marked receipts are not). */
    sent: count,
    received: count,
    bytesSent: count,
    bytesReceived: count,
    /** Delivery receipts marked as such, both ways: not counted in `sent` or `received`. */
    receipts: count,
    firstAt: TimestampSchema,
    lastAt: TimestampSchema,
  })
  .strict();

/** One metadata-log row involving the account. `peer` is null for a received envelope whose sender was hidden. */
export const WarrantTimelineEventSchema = z
  .object({
    seq,
    messageId: MessageIdSchema,
    direction: z.enum(['sent', 'received']),
    /** The account's own device that sent or received it. */
    device: DeviceIdSchema.nullable(),
    peer: UsernameSchema.nullable(),
    peerDevice: DeviceIdSchema.nullable(),
    at: TimestampSchema,
    size: count,
    kind: EnvelopeKindSchema,
    /** A delivery receipt its sender marked as one (true), not marked (false), or sealed: the server cannot tell (null). */
    receipt: EnvelopeReceiptSchema,
    /** The policy mode it was sent under: in transport-only the server read it (see readableMessages). */
    mode: PolicyModeSchema,
    /** When the recipient confirmed it and the ciphertext was deleted; null while it waits. */
    deliveredAt: TimestampSchema.nullable(),
    /** SHA-256 of the ciphertext, base64url (a fingerprint of unreadable bytes); null for rows older than the column. */
    ciphertextSha256: base64Url(encodedLength(SHA256_BYTES)).length(encodedLength(SHA256_BYTES)).nullable(),
  })
  .strict();

/** An envelope still in a mailbox, with its whole ciphertext as the server holds it. */
export const WarrantStoredEnvelopeSchema = z
  .object({
    seq,
    messageId: MessageIdSchema,
    /** null when sealed sender hid it. */
    sender: UsernameSchema.nullable(),
    senderDevice: DeviceIdSchema.nullable(),
    recipient: UsernameSchema,
    recipientDevice: DeviceIdSchema,
    storedAt: TimestampSchema,
    size: count,
    /** The policy mode it was sent under. */
    mode: PolicyModeSchema,
    /** The body as stored, base64url: in e2ee ciphertext the server cannot open; in transport-only the payload it opened. */
    ciphertext: base64Url(encodedLength(MAX_ENVELOPE_BODY_BYTES)),
  })
  .strict();

/** A message the server read because a content-access mode made it readable, with its text. */
export const WarrantReadableMessageSchema = z
  .object({
    seq,
    messageId: MessageIdSchema,
    direction: z.enum(['sent', 'received']),
    /** The other person: the recipient of a sent message, the sender of a received one (from the certificate, for a sealed send). */
    peer: UsernameSchema.nullable(),
    /** How the sender is known: it signed in, or the server read its sealed sender certificate. */
    senderSource: z.enum(['signed-in', 'certificate']),
    at: TimestampSchema,
    mode: EnvelopeModeSchema,
    kind: ContentKindSchema,
    /** The text of a chat message; null for control messages. */
    text: z.string().max(MAX_CONTENT_TEXT).nullable(),
  })
  .strict();

const storedList = z.object({ total: count, envelopes: z.array(WarrantStoredEnvelopeSchema).max(MAX_WARRANT_STORED_ENVELOPES) }).strict();

/** Something the server could not hand over, in plain words, and why. */
export const NotProvidedSchema = z.object({ what: plainText(200), why: plainText(1_000) }).strict();

export const AddressEventSchema = z
  .object({
    seq,
    at: TimestampSchema,
    address: NetworkAddressSchema,
    event: z.enum(ADDRESS_EVENTS),
    /** The device, for the account's own events; null for a sealed send (no device is named). */
    deviceId: DeviceIdSchema.nullable(),
    /** For a sealed send: the envelope it carried. */
    messageId: MessageIdSchema.nullable(),
  })
  .strict();

const addressList = z.object({ total: count, events: z.array(AddressEventSchema).max(MAX_WARRANT_ADDRESS_EVENTS) }).strict();

/**
 * The network addresses the server kept, or that it kept none. With
 * STORE_ADDRESSES off (the default) the server saw each address only while a
 * connection was open and has nothing to hand over.
 */
export const WarrantAddressesSchema = z.discriminatedUnion('stored', [
  z.object({ stored: z.literal(false) }).strict(),
  z
    .object({
      stored: z.literal(true),
      retentionDays: z.number().int().min(1).max(3650),
      /** The account's sign-ups, sign-ins and relay connections, newest first. */
      account: addressList,
      /** Sealed-sender envelopes sent from an address this account used: the sender sealed sender hid, pointed at by the address. */
      sealedFromSameAddresses: addressList,
    })
    .strict(),
]);

export const WarrantAnswerSchema = z
  .object({
    account: UsernameSchema,
    generatedAt: TimestampSchema,
    /** How long the server keeps the metadata log (METADATA_RETENTION_DAYS): older activity is gone. */
    metadataRetentionDays: z.number().int().min(1).max(3650),
    record: z
      .object({
        createdAt: TimestampSchema,
        /** Declared at sign-up, never verified; null if not given. */
        ageBand: z.enum(AGE_BANDS).nullable(),
      })
      .strict(),
    devices: z.array(WarrantDeviceSchema).max(MAX_DEVICES_PER_ACCOUNT),
    contacts: z.object({ total: count, list: z.array(WarrantContactSchema).max(MAX_WARRANT_CONTACTS) }).strict(),
    /** Envelopes the account received whose sender was hidden (sealed sender): no contact can be named for them. */
    receivedFromHiddenSenders: count,
    timeline: z.object({ total: count, events: z.array(WarrantTimelineEventSchema).max(MAX_WARRANT_TIMELINE) }).strict(),
    /** Envelopes waiting for the account's devices (not yet delivered). */
    waitingForAccount: storedList,
    /** Envelopes the account sent that wait in someone else's mailbox (attributed ones only). */
    sentStillWaiting: storedList,
    /**
     * Reports of messages the account sent, each checked against the sender's
     * commitment and the server's stamp (reports.ts): the one way message text
     * reaches the server, and only because a recipient chose to reveal it.
     * Newest first; `total` counts them all.
     */
    verifiedReports: z
      .object({ total: count, reports: z.array(QueuedReportSchema.extend({ senderVerified: z.literal(true) })).max(MAX_WARRANT_REPORTS) })
      .strict(),
    /**
     * Reports of sealed-sender messages whose reporter says this account sent
     * them. The text is proved to have reached the reporter, but the server
     * never saw the sender: that it was this account is the reporter's word
     * alone, so these are never listed as verified. Newest first.
     */
    unverifiedClaims: z
      .object({ total: count, reports: z.array(QueuedReportSchema.extend({ senderVerified: z.literal(false) })).max(MAX_WARRANT_REPORTS) })
      .strict(),
    /**
     * Messages sent or received by the account under a content-access mode
     * (transport-only), with their text: the server read them, so it hands
     * them over. Empty while every message was end-to-end encrypted.
     */
    readableMessages: z.object({ total: count, messages: z.array(WarrantReadableMessageSchema).max(MAX_WARRANT_READABLE_MESSAGES) }).strict(),
    networkAddresses: WarrantAddressesSchema,
    notProvided: z.array(NotProvidedSchema).min(1).max(MAX_NOT_PROVIDED),
  })
  .strict();

export type WarrantDevice = z.output<typeof WarrantDeviceSchema>;
export type WarrantContact = z.output<typeof WarrantContactSchema>;
export type WarrantTimelineEvent = z.output<typeof WarrantTimelineEventSchema>;
export type WarrantStoredEnvelope = z.output<typeof WarrantStoredEnvelopeSchema>;
export type WarrantReadableMessage = z.output<typeof WarrantReadableMessageSchema>;
export type NotProvided = z.output<typeof NotProvidedSchema>;
export type AddressEventWire = z.output<typeof AddressEventSchema>;
export type WarrantAddresses = z.output<typeof WarrantAddressesSchema>;
export type WarrantAnswer = z.output<typeof WarrantAnswerSchema>;
