/**
 * The class as a whole: what happened in it (activity the guided lesson ticks
 * its steps from) and resetting it (the operator clears everyone's data
 * between two classes). Operator token on both.
 *
 *   GET  /api/operator/stream                 `activity` events (ClassActivity) beside the envelopes
 *   GET  /api/operator/class                  → ClassCounts: what a reset would delete now
 *   POST /api/operator/class/reset            { confirm: "reset the class" } → ClassResetAnswer
 *   GET  /api/operator/envelopes/export       → EnvelopeLogExport (a download: the whole metadata log)
 *
 * Activity names people and says what kind of thing happened, never what anyone wrote.
 */
import { z } from 'zod';
import { TimestampSchema } from './codec.js';
import { PolicyModeSchema } from './policy.js';
import { OperatorEnvelopeSchema } from './operator.js';

export { ClassActivitySchema, type ClassActivity, type ClassActivityWire } from './class-activity.js';

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** What the server holds of a class, by what a reset deletes (the confirmation lists these). */
export const ClassCountsSchema = z
  .object({
    accounts: count,
    devices: count,
    /** Sign-ins still valid. */
    signIns: count,
    /** Public prekeys waiting to be fetched (one-time, post-quantum and signed). */
    prekeys: count,
    /** Envelopes waiting in mailboxes (ciphertext, or opened text in transport-only). */
    waitingEnvelopes: count,
    /** Rows of the metadata log (who, to whom, when, how big). */
    loggedEnvelopes: count,
    reports: count,
    /** Network addresses (only with STORE_ADDRESSES=on). */
    addresses: count,
    /** Messages the server read in transport-only (content_log). */
    readMessages: count,
    /** Ciphertexts kept for the escrow (escrow_retained). */
    escrowedMessages: count,
    /** The lawful-intercept console: warrants, queued copies, audit lines. */
    interceptWarrants: count,
    interceptCopies: count,
    auditLines: count,
    /** Policy changes recorded. */
    policyChanges: count,
    /** Whether the escrow key's files (its public half and the three shares) exist. */
    escrowKeyFiles: z.boolean(),
    /** The mode now; a reset returns it to e2ee. */
    mode: PolicyModeSchema,
  })
  .strict();
export type ClassCounts = z.infer<typeof ClassCountsSchema>;

/** Typed, so a reset is never one stray click or request away. */
export const CLASS_RESET_CONFIRMATION = 'reset the class';
export const ClassResetRequestSchema = z.object({ confirm: z.literal(CLASS_RESET_CONFIRMATION) }).strict();
export type ClassResetRequest = z.infer<typeof ClassResetRequestSchema>;

export const ClassResetAnswerSchema = z
  .object({
    /** What was deleted (the counts just before). */
    deleted: ClassCountsSchema,
    /** When the reset happened (server clock). */
    at: TimestampSchema,
    /** The mode after the reset: always e2ee. */
    mode: PolicyModeSchema,
    /**
     * The deleted rows were also scrubbed from the SQLite file and its write-ahead
     * log (false: the database was busy, and old pages stay in the log until its next checkpoint).
     */
    scrubbed: z.boolean(),
  })
  .strict();
export type ClassResetAnswer = z.infer<typeof ClassResetAnswerSchema>;

/** Rows in one envelope-log export: far beyond a class; a bigger log is cut and says so. */
export const MAX_EXPORTED_ENVELOPES = 200_000;

/** The whole metadata log as the server holds it, oldest first: the operator's copy before a reset. */
export const EnvelopeLogExportSchema = z
  .object({
    exportedAt: TimestampSchema,
    /** Rows in the log; more than `envelopes` holds when the export was cut at MAX_EXPORTED_ENVELOPES. */
    total: count,
    envelopes: z.array(OperatorEnvelopeSchema).max(MAX_EXPORTED_ENVELOPES),
  })
  .strict();
export type EnvelopeLogExport = z.infer<typeof EnvelopeLogExportSchema>;

/**
 * The WebSocket close code a reset sends every live device (4000-4999 are the
 * application's; 4410 after HTTP's 410 Gone): its account no longer exists, so
 * the app stops reconnecting and says so instead of failing to sign in.
 */
export const CLOSE_CLASS_RESET = 4410;
