/**
 * Verifiable user reports (message franking, shared/crypto-public/franking.ts).
 *
 *   POST /api/reports          ReportRequest → 201 FiledReport (200 with duplicate: true if filed before)
 *                              422 REPORT_REJECTED with the reason when the stamp or the commitment fails
 *   GET  /api/operator/reports → ReportQueue (operator token)
 *
 * A report is the recipient choosing to show the server one message: its text,
 * the franking key that opens the sender's commitment, the commitment and the
 * server's stamp as they arrived with the message. The reporter is whoever is
 * signed in: the stamp names the recipient, so nobody can report a message
 * that was sent to someone else.
 *
 * On the wire beside each envelope: the sender's commitment goes up in the
 * `send` frame, and the recipient gets it back with the server's stamp in the
 * `message` frame (ws.ts). Both are 32-byte MACs as base64url; they say nothing
 * about the text to anyone without the franking key inside the ciphertext.
 */
import { z } from 'zod';
import { fixedBytes, MessageIdSchema, stringRules, TimestampSchema, UsernameSchema } from './codec.js';

export const FRANKING_TAG_BYTES = 32;
/** A commitment or a stamp as it travels beside an envelope: kept as the string, the relay only stores and forwards it. */
export const FRANKING_TAG_CHARS = Math.ceil((FRANKING_TAG_BYTES * 4) / 3);
/** 32 bytes in 43 characters leave 2 bits over: canonical base64url has them zero, so the last character is one of these. */
const CANONICAL_TAG = /^[A-Za-z0-9_-]*[AEIMQUYcgkosw048]$/;
export const FrankingTagSchema = stringRules((tag) =>
  tag.length !== FRANKING_TAG_CHARS ? `must be ${FRANKING_TAG_BYTES} bytes as base64url`
  : !CANONICAL_TAG.test(tag) ? 'is not canonical base64url'
  : undefined,
);

/** What a reporter picks from; the queue shows it beside the text. */
export const REPORT_REASONS = ['harassment', 'threat', 'spam', 'child-safety', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export const REPORT_REASON_LABELS: Record<ReportReason, string> = {
  harassment: 'Harassment or bullying',
  threat: 'Threat of violence',
  spam: 'Spam or scam',
  'child-safety': 'Puts a child at risk',
  other: 'Something else',
};

/** The longest text a report can carry, in characters (the client's longest message is 4000). */
export const MAX_REPORT_TEXT_CHARS = 4000;
/** Reports in one queue answer, newest first (`total` counts them all). */
export const MAX_REPORT_QUEUE = 500;

export const ReportRequestSchema = z
  .object({
    messageId: MessageIdSchema,
    /**
     * Who sent it. For an ordinary message the server's stamp proves it; for a
     * sealed-sender message the server never knew, so it is the reporter's word.
     */
    sender: UsernameSchema,
    sealedSender: z.boolean(),
    /** When the server relayed it: the `sentAt` of the message frame, which the stamp covers. */
    sentAt: TimestampSchema,
    reason: z.enum(REPORT_REASONS),
    text: z.string().min(1).max(MAX_REPORT_TEXT_CHARS),
    frankingKey: fixedBytes(32),
    commitment: fixedBytes(FRANKING_TAG_BYTES),
    stamp: fixedBytes(FRANKING_TAG_BYTES),
  })
  .strict();

export const FiledReportSchema = z
  .object({
    id: z.number().int().min(1),
    messageId: MessageIdSchema,
    sender: UsernameSchema,
    /** false for a sealed-sender message: the server could check the text and the time, not who sent it. */
    senderVerified: z.boolean(),
    reportedAt: TimestampSchema,
    /** This reporter had already reported this message: nothing new was filed. */
    duplicate: z.boolean(),
  })
  .strict();

/** One report as the operator's queue shows it: the reported message and nothing else of the conversation. */
export const QueuedReportSchema = z
  .object({
    id: z.number().int().min(1),
    messageId: MessageIdSchema,
    sender: UsernameSchema,
    senderVerified: z.boolean(),
    reporter: UsernameSchema,
    reason: z.enum(REPORT_REASONS),
    sentAt: TimestampSchema,
    reportedAt: TimestampSchema,
    text: z.string().min(1).max(MAX_REPORT_TEXT_CHARS),
    /** The envelope's metadata-log seq (to find it on the timeline); null if the log no longer has it. */
    seq: z.number().int().min(1).nullable(),
  })
  .strict();

export const ReportQueueSchema = z
  .object({
    total: z.number().int().min(0),
    reports: z.array(QueuedReportSchema).max(MAX_REPORT_QUEUE),
  })
  .strict();

export type ReportRequest = z.output<typeof ReportRequestSchema>;
export type ReportRequestWire = z.input<typeof ReportRequestSchema>;
export type FiledReport = z.output<typeof FiledReportSchema>;
export type QueuedReport = z.output<typeof QueuedReportSchema>;
export type ReportQueue = z.output<typeof ReportQueueSchema>;
