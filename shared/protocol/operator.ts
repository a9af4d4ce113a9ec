/**
 * Responses of the operator API: the server's own view of what it holds.
 * Every endpoint needs `Authorization: Bearer OPERATOR_TOKEN` (401 otherwise).
 * The operator page parses each response with these schemas, so a field the
 * server starts returning must be added here first (objects are strict).
 *
 *   GET /api/operator/envelopes?limit&before   → OperatorEnvelopesResponse  (newest first)
 *   GET /api/operator/stream?after=SEQ         → Server-Sent Events (see OPERATOR_STREAM_EVENTS)
 *   GET /api/operator/accounts                 → OperatorAccountsResponse
 *   GET /api/operator/graph                    → OperatorGraphResponse
 *   GET /api/operator/timeline/:username?limit → OperatorTimelineResponse   (404 NOT_FOUND if no such account)
 *   GET /api/operator/schema                   → OperatorSchemaResponse
 *
 * Nothing here can carry a plaintext: the server has none. The ciphertext
 * preview is the first bytes of an envelope the server cannot open.
 */
import { z } from 'zod';
import { DeviceIdSchema, MessageIdSchema, TimestampSchema, UsernameSchema } from './codec.js';
import { AGE_BANDS, KEY_BYTES } from './limits.js';
import { PolicyAnnouncementSchema, PolicyModeSchema } from './policy.js';
import { ClassActivitySchema } from './class-activity.js';

/** Envelopes per page of GET /api/operator/envelopes (`limit`, default 100). */
export const MAX_OPERATOR_ENVELOPES_PER_PAGE = 500;
/** First bytes of a stored ciphertext shown in the operator view: 24 bytes, 32 base64url characters. */
export const CIPHERTEXT_PREVIEW_BYTES = 24;
/** Envelopes a stream sends on (re)connection before going live; older ones are counted in a `skipped` event. */
export const MAX_STREAM_BACKFILL = 500;
/** A comment line (`: ping`) this often keeps proxies from closing an idle stream and tells the page it is alive. */
export const STREAM_PING_MS = 15_000;
/** Accounts listed (and graph nodes): far beyond a classroom, small enough to draw. */
export const MAX_OPERATOR_ACCOUNTS = 5_000;
/** Devices per account in the listing (as bundles allow). */
export const MAX_DEVICES_PER_ACCOUNT = 16;
/** Graph edges returned, the busiest first. */
export const MAX_GRAPH_EDGES = 20_000;
/** Timeline events per request (`limit`, default 200). */
export const MAX_TIMELINE_EVENTS = 1_000;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const base64Url = (maxChars: number) => z.string().max(maxChars).regex(/^[A-Za-z0-9_-]*$/, 'must be base64url');

/** What the server can tell from an envelope's first byte: a conversation's first messages, or the rest. */
export const EnvelopeKindSchema = z.enum(['session-start', 'message', 'sealed', 'unknown']);

/**
 * Whether an envelope is a delivery receipt, as far as the server can tell:
 * true when its sender marked it one (`receipt: true` on the send frame),
 * false when it did not, null when it came sealed (no mark: it cannot tell).
 */
export const EnvelopeReceiptSchema = z.boolean().nullable();

/** One metadata-log row, as the operator sees it. `seq` orders envelopes and resumes the stream. */
export const OperatorEnvelopeSchema = z
  .object({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    messageId: MessageIdSchema,
    /** null when sealed sender hid who sent it. */
    sender: UsernameSchema.nullable(),
    senderDevice: DeviceIdSchema.nullable(),
    recipient: UsernameSchema,
    recipientDevice: DeviceIdSchema,
    /** When the envelope reached the server (server clock, ms). */
    sentAt: TimestampSchema,
    /** Ciphertext bytes (padding blurs the real length). */
    size: count,
    kind: EnvelopeKindSchema,
    receipt: EnvelopeReceiptSchema,
    /** The policy mode its sender encrypted it under (policy.ts); in transport-only the server read it (GET /api/operator/content). */
    mode: PolicyModeSchema,
    /** True while the ciphertext waits in the mailbox; the server deletes it once the recipient confirms. */
    stillStored: z.boolean(),
    /** The first CIPHERTEXT_PREVIEW_BYTES of the stored ciphertext, base64url; null once deleted. */
    ciphertextPreview: base64Url(Math.ceil((CIPHERTEXT_PREVIEW_BYTES * 4) / 3)).nullable(),
  })
  .strict();

export const OperatorEnvelopesResponseSchema = z.object({ envelopes: z.array(OperatorEnvelopeSchema).max(MAX_OPERATOR_ENVELOPES_PER_PAGE) }).strict();

/** A recipient's device confirmed an envelope and the server deleted its ciphertext. */
export const OperatorAckSchema = z.object({ messageId: MessageIdSchema, recipient: UsernameSchema, recipientDevice: DeviceIdSchema }).strict();

/** Older envelopes a (re)connected stream did not send, beyond MAX_STREAM_BACKFILL: fetch them with GET /envelopes if needed. */
export const OperatorSkippedSchema = z.object({ count: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).strict();

/**
 * The stream's event names and the schema of each event's `data` (JSON).
 * Comment lines (`: ping`) carry nothing. A reader that falls too far behind
 * is disconnected; it reconnects with `after=` the last seq it received.
 * Without `after`, the stream sends only envelopes committed from then on.
 * `policy` (the announcement, policy.ts) comes once on connection and again on
 * every change of mode, so the page follows a switch made anywhere.
 */
export const OPERATOR_STREAM_EVENTS = {
  envelope: OperatorEnvelopeSchema,
  acked: OperatorAckSchema,
  skipped: OperatorSkippedSchema,
  policy: PolicyAnnouncementSchema,
  /** Something that happened in the class besides envelopes (class-activity.ts): the guided lesson ticks from these. */
  activity: ClassActivitySchema,
} as const;
export type OperatorStreamEventName = keyof typeof OPERATOR_STREAM_EVENTS;

/** An IP address as the server saw it (IPv4 or IPv6, 45 characters at most, a zone index beyond). */
export const NetworkAddressSchema = z.string().min(1).max(100);

/** Whether the server keeps network addresses (STORE_ADDRESSES) and for how long (ADDRESS_RETENTION_DAYS). */
export const AddressPolicySchema = z.object({ stored: z.boolean(), retentionDays: z.number().int().min(1).max(3650) }).strict();

export const OperatorDeviceSchema = z
  .object({
    deviceId: DeviceIdSchema,
    registeredAt: TimestampSchema,
    /** Public Ed25519 identity key, base64url (safety numbers are computed from it). */
    identityKey: base64Url(Math.ceil((KEY_BYTES * 4) / 3)).length(Math.ceil((KEY_BYTES * 4) / 3)),
    /**
     * One-time X25519 prekeys the server still holds for this device. Each
     * new conversation takes one; when none are left, conversations start
     * from the signed and last-resort keys only (draining them is an attack).
     */
    oneTimePreKeysLeft: count,
    /** One-time ML-KEM prekeys still held (not counting the last-resort key). */
    kemPreKeysLeft: count,
    /** The device's live relay connection: the network address it comes from, and since when; null when offline. */
    connectedFrom: z.object({ address: NetworkAddressSchema, since: TimestampSchema }).strict().nullable(),
  })
  .strict();

export const OperatorAccountSchema = z
  .object({
    username: UsernameSchema,
    createdAt: TimestampSchema,
    /** Declared at sign-up, never verified; null if not given. */
    ageBand: z.enum(AGE_BANDS).nullable(),
    devices: z.array(OperatorDeviceSchema).max(MAX_DEVICES_PER_ACCOUNT),
  })
  .strict();

/** Oldest account first. */
export const OperatorAccountsResponseSchema = z
  .object({ accounts: z.array(OperatorAccountSchema).max(MAX_OPERATOR_ACCOUNTS), addresses: AddressPolicySchema })
  .strict();

/** An account, with the envelopes it sent (attributed to it) and received; marked receipts are not counted. */
export const GraphNodeSchema = z
  .object({ username: UsernameSchema, createdAt: TimestampSchema, ageBand: z.enum(AGE_BANDS).nullable(), sent: count, received: count })
  .strict();

/**
 * Envelopes from one account to another (all devices together); `from` may equal `to` (a user's own devices).
 * `envelopes` leaves out those marked as receipts, counted in `receipts`: a receipt is not conversation.
 */
export const GraphEdgeSchema = z
  .object({ from: UsernameSchema, to: UsernameSchema, envelopes: count, receipts: count, bytes: count, firstAt: TimestampSchema, lastAt: TimestampSchema })
  .strict();

/**
 * Who talks to whom, from the metadata log alone. `unattributed`: envelopes whose sender was hidden
 * (sealed sender; sealed receipts among them, which cannot be told apart). `receipts`: envelopes marked
 * as receipts, counted in no node's `sent`/`received` and in no edge's `envelopes`.
 */
export const OperatorGraphResponseSchema = z
  .object({
    nodes: z.array(GraphNodeSchema).max(MAX_OPERATOR_ACCOUNTS),
    edges: z.array(GraphEdgeSchema).max(MAX_GRAPH_EDGES),
    unattributed: count,
    receipts: count,
  })
  .strict();

/** One envelope in an account's timeline. `peer` is null for a received envelope whose sender was hidden. */
export const TimelineEventSchema = z
  .object({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    messageId: MessageIdSchema,
    direction: z.enum(['sent', 'received']),
    peer: UsernameSchema.nullable(),
    peerDevice: DeviceIdSchema.nullable(),
    at: TimestampSchema,
    size: count,
    kind: EnvelopeKindSchema,
    receipt: EnvelopeReceiptSchema,
  })
  .strict();

/** An account and its envelopes, newest first. */
export const OperatorTimelineResponseSchema = z
  .object({ account: OperatorAccountSchema, events: z.array(TimelineEventSchema).max(MAX_TIMELINE_EVENTS) })
  .strict();

/** Every table and column the server stores, read from the live database, with the server's own description. */
export const OperatorSchemaResponseSchema = z
  .object({
    tables: z
      .array(
        z
          .object({
            name: z.string().max(64),
            about: z.string().max(1000).nullable(),
            columns: z
              .array(z.object({ name: z.string().max(64), type: z.string().max(64), description: z.string().max(1000).nullable() }).strict())
              .max(100),
          })
          .strict(),
      )
      .max(100),
  })
  .strict();

export type EnvelopeKind = z.output<typeof EnvelopeKindSchema>;
export type OperatorEnvelope = z.output<typeof OperatorEnvelopeSchema>;
export type OperatorEnvelopesResponse = z.output<typeof OperatorEnvelopesResponseSchema>;
export type OperatorAck = z.output<typeof OperatorAckSchema>;
export type OperatorSkipped = z.output<typeof OperatorSkippedSchema>;
export type OperatorDevice = z.output<typeof OperatorDeviceSchema>;
export type OperatorAccount = z.output<typeof OperatorAccountSchema>;
export type OperatorAccountsResponse = z.output<typeof OperatorAccountsResponseSchema>;
export type AddressPolicy = z.output<typeof AddressPolicySchema>;
export type GraphNode = z.output<typeof GraphNodeSchema>;
export type GraphEdge = z.output<typeof GraphEdgeSchema>;
export type OperatorGraph = z.output<typeof OperatorGraphResponseSchema>;
export type TimelineEvent = z.output<typeof TimelineEventSchema>;
export type OperatorTimeline = z.output<typeof OperatorTimelineResponseSchema>;
export type OperatorStoredSchema = z.output<typeof OperatorSchemaResponseSchema>;
