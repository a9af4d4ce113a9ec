/**
 * The lawful-intercept console (transport-only mode; docs/lawful-access.md):
 * the agency's own API, behind the agency token (not the operator's), and the
 * breach demonstration behind the operator token.
 *
 *   POST   /api/agency/warrants                  WarrantRequest → InterceptWarrant (201)
 *   GET    /api/agency/warrants                  → WarrantList
 *   DELETE /api/agency/warrants/:id              → InterceptWarrant (ended)
 *   GET    /api/agency/warrants/:id/queue?after= → InterceptQueue   (prospective: copied since the warrant began)
 *   GET    /api/agency/retrospective/:username   → Retrospective    (the retained past, from the content log)
 *   GET    /api/agency/audit                     → AuditLog
 *   POST   /api/agency/insider                   InsiderRequest → InsiderResult (the Athens demonstration)
 *   GET    /api/operator/breach                  → BreachExport     (operator token: what a thief of DATA_DIR gets)
 *
 * Errors are problems (errors.ts): 401 without the agency token, 400
 * BAD_REQUEST for a bad body, 404 NOT_FOUND for an unknown account or warrant.
 *
 * The console checks that a reference is present and short, never that it is
 * lawful: a request naming a foreign agency, or "none", reads exactly what a
 * court order reads. That is the third cost the console demonstrates.
 */
import { z } from 'zod';
import { MessageIdSchema, TimestampSchema, UsernameSchema } from './codec.js';

/** A warrant's reference as typed at the console (a case number, a court, an agency name): one line. */
export const MAX_WARRANT_REFERENCE_CHARS = 200;
/** Warrants listed: far more than a classroom enters; the oldest beyond it are not listed. */
export const MAX_LISTED_WARRANTS = 500;
/** Messages per queue or retrospective answer (`total` says how many there are; `after` pages the queue). */
export const MAX_INTERCEPTED_MESSAGES = 500;
/** Audit lines per answer, newest first (`total` counts them all). */
export const MAX_AUDIT_LINES = 500;
/** Sample messages in the breach export (the counts cover everything). */
export const MAX_BREACH_SAMPLE = 200;
/** People listed in the breach export, the busiest first. */
export const MAX_BREACH_PEOPLE = 1_000;
/** Files listed from the data directory. */
export const MAX_BREACH_FILES = 50;
/**
 * A message text as the server read it: the client's own limit is 4,000
 * characters (message-codec.ts); a payload pads to at most 64 KiB, so nothing
 * the server opened can be longer than this.
 */
export const MAX_INTERCEPTED_TEXT_CHARS = 65_536;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const id = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must be one line without control characters');

export const WarrantRequestSchema = z
  .object({
    target: UsernameSchema,
    /** Whatever the requester typed: the console cannot tell a court's reference from any other words. */
    reference: line(MAX_WARRANT_REFERENCE_CHARS),
  })
  .strict();

export const InsiderRequestSchema = z.object({ target: UsernameSchema }).strict();

export const InterceptWarrantSchema = z
  .object({
    id,
    target: UsernameSchema,
    /** null: added without a warrant (the insider demonstration). */
    reference: z.string().max(MAX_WARRANT_REFERENCE_CHARS).nullable(),
    /** "agency" (the console's token) or "insider" (the demonstration). */
    requestedBy: z.string().min(1).max(64),
    createdAt: TimestampSchema,
    /** null while messages are still being copied. */
    endedAt: TimestampSchema.nullable(),
    /** Messages copied to the queue so far. */
    copied: count,
  })
  .strict();

export const WarrantListSchema = z.object({ warrants: z.array(InterceptWarrantSchema).max(MAX_LISTED_WARRANTS) }).strict();

/** How the server knew the sender: the signed-in connection, or the certificate inside a sealed send. */
export const SENDER_SOURCES = ['signed-in', 'certificate'] as const;

/** One message as the server read it (content log) or as the agency copied it (queue). */
export const InterceptedMessageSchema = z
  .object({
    /** The envelope's row in the metadata log (and the content log). */
    seq: id,
    messageId: MessageIdSchema,
    /** null only if the server could not tell (never for a message it read). */
    sender: UsernameSchema.nullable(),
    recipient: UsernameSchema,
    storedAt: TimestampSchema,
    /** "text", "receipt", "session-reset" or "unknown" (the content log); in the queue, "text" or "control" (it keeps no kind). */
    kind: z.string().min(1).max(32),
    /** The text; null for control messages. */
    text: z.string().max(MAX_INTERCEPTED_TEXT_CHARS).nullable(),
  })
  .strict();

export const QueuedMessageSchema = InterceptedMessageSchema.extend({
  /** The queue row (pass the last one as `after` to get only newer ones). */
  queueId: id,
  copiedAt: TimestampSchema,
}).strict();

export const InterceptQueueSchema = z
  .object({
    warrant: InterceptWarrantSchema,
    /** Oldest first, those after `after`. */
    messages: z.array(QueuedMessageSchema).max(MAX_INTERCEPTED_MESSAGES),
    /** Everything copied under this warrant. */
    total: count,
  })
  .strict();

export const RetrospectiveSchema = z
  .object({
    target: UsernameSchema,
    /** Oldest first; the newest MAX_INTERCEPTED_MESSAGES when there are more. */
    messages: z.array(InterceptedMessageSchema).max(MAX_INTERCEPTED_MESSAGES),
    total: count,
    /** How long the content log keeps a message (the metadata log's retention). */
    retentionDays: z.number().int().min(1).max(36_500),
  })
  .strict();

/** The console's own actions, then key escrow's (server/lawful-access/escrow-api.ts writes them to the same log). */
export const AUDIT_ACTIONS = [
  'warrant-opened',
  'warrant-ended',
  'queue-read',
  'retrospective-read',
  'target-added-without-warrant',
  'escrow-share-read',
  'escrow-open',
  'escrow-open-refused',
  'escrow-leak',
] as const;

export const AuditLineSchema = z
  .object({
    seq: id,
    at: TimestampSchema,
    actor: z.string().min(1).max(64),
    action: z.enum(AUDIT_ACTIONS),
    target: UsernameSchema.nullable(),
    detail: z.string().max(1_000),
  })
  .strict();

export const AuditLogSchema = z.object({ lines: z.array(AuditLineSchema).max(MAX_AUDIT_LINES), total: count }).strict();

export const InsiderResultSchema = z
  .object({
    warrant: InterceptWarrantSchema,
    /** The audit line the console wrote, which the insider then deleted. */
    deletedAuditSeq: id,
    /** Audit lines before and after: the same number. */
    auditLinesBefore: count,
    auditLinesAfter: count,
  })
  .strict();

export const BreachExportSchema = z
  .object({
    /** Every readable text message, counted once (the content log and the mailbox overlap). */
    messages: count,
    /** Readable control messages (delivery receipts, session resets): no words, counted apart. */
    controlMessages: count,
    /** Different people who sent or received one of the texts. */
    people: count,
    fromContentLog: count,
    /** Readable messages still waiting in mailboxes for delivery. */
    fromMailbox: count,
    /** End-to-end envelopes also copied: a thief has their bytes, not their text. */
    unreadableEnvelopes: count,
    /** Ciphertexts kept for the key escrow (escrow_retained): two escrow shares open them all. */
    escrowRetained: count,
    /** Rows of the metadata log: who wrote to whom, when, for every mode. */
    metadataRows: count,
    /** The transport key's file: with it, every transport-only envelope ever captured on the network opens too. */
    transportKeyFile: z.object({ name: z.string().min(1).max(255), exists: z.boolean() }).strict(),
    /** What the data directory holds (names and sizes). */
    files: z
      .array(z.object({ name: z.string().min(1).max(255), bytes: count }).strict())
      .max(MAX_BREACH_FILES),
    /** The people, the busiest first, with how many of their messages are readable. */
    peopleList: z.array(z.object({ username: UsernameSchema, messages: count }).strict()).max(MAX_BREACH_PEOPLE),
    /** The newest messages, in their text. */
    sample: z.array(InterceptedMessageSchema).max(MAX_BREACH_SAMPLE),
  })
  .strict();

export type WarrantRequest = z.output<typeof WarrantRequestSchema>;
export type InsiderRequest = z.output<typeof InsiderRequestSchema>;
export type InterceptWarrant = z.output<typeof InterceptWarrantSchema>;
export type WarrantList = z.output<typeof WarrantListSchema>;
export type InterceptedMessage = z.output<typeof InterceptedMessageSchema>;
export type QueuedMessage = z.output<typeof QueuedMessageSchema>;
export type InterceptQueue = z.output<typeof InterceptQueueSchema>;
export type Retrospective = z.output<typeof RetrospectiveSchema>;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditLine = z.output<typeof AuditLineSchema>;
export type AuditLog = z.output<typeof AuditLogSchema>;
export type InsiderResult = z.output<typeof InsiderResultSchema>;
export type BreachExport = z.output<typeof BreachExportSchema>;
/** What the server builds (plain strings; the page and the CLI parse it into the types above). */
export type InterceptWarrantWire = z.input<typeof InterceptWarrantSchema>;
export type InterceptedMessageWire = z.input<typeof InterceptedMessageSchema>;
export type QueuedMessageWire = z.input<typeof QueuedMessageSchema>;
export type InterceptQueueWire = z.input<typeof InterceptQueueSchema>;
export type RetrospectiveWire = z.input<typeof RetrospectiveSchema>;
export type AuditLineWire = z.input<typeof AuditLineSchema>;
export type AuditLogWire = z.input<typeof AuditLogSchema>;
export type InsiderResultWire = z.input<typeof InsiderResultSchema>;
export type BreachExportWire = z.input<typeof BreachExportSchema>;
