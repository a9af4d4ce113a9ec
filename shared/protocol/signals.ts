/**
 * GET /api/operator/signals[?rescan=1] → SignalsResponse (operator token; 401 otherwise).
 *
 * The metadata signals (server/domain/signals): per detector, what it looks
 * for, its parameters and why, what it cannot know, how many envelopes it had
 * to skip because sealed sender hid the sender, and the accounts it flags with
 * their evidence (envelopes by seq and message id, to open in the X-ray,
 * graph and timeline). `rescan=1` recomputes over the whole log first.
 * Nothing here is content: the server has none.
 */
import { z } from 'zod';
import { MessageIdSchema, UsernameSchema } from './codec.js';

/** Envelopes kept as evidence per flagged account: enough to open in the X-ray, bounded so detector state stays small. */
export const MAX_SIGNAL_EVIDENCE = 20;
/** Accounts listed per detector, highest score first: an analyst's queue, not a dump. */
export const MAX_FLAGGED_ACCOUNTS = 200;
/** Detectors in one response (five today; room for reports and later ones). */
export const MAX_DETECTORS = 32;
/** Parameters per detector. */
export const MAX_DETECTOR_PARAMETERS = 16;
/** Longest explanatory text (pattern, reason, what cannot be known, summary). */
export const MAX_SIGNAL_TEXT = 2_000;

const text = z.string().min(1).max(MAX_SIGNAL_TEXT);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const SignalEvidenceSchema = z.object({ seq, messageId: MessageIdSchema }).strict();

export const FlaggedAccountSchema = z
  .object({
    account: UsernameSchema,
    /** In [0, 1]: how strongly the pattern holds (each detector says how it scores). */
    score: z.number().min(0).max(1),
    summary: text,
    /** The latest envelopes that made up the pattern, oldest first. */
    evidence: z.array(SignalEvidenceSchema).max(MAX_SIGNAL_EVIDENCE),
  })
  .strict();

export const DetectorParameterSchema = z.object({ name: z.string().min(1).max(64), value: z.number().finite(), reason: text }).strict();

export const DetectorReportSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/),
    /** What `observed` and `unattributable` count: envelopes, or (for "many user reports") verified user reports. */
    unit: z.enum(['envelope', 'report']).default('envelope'),
    title: z.string().min(1).max(200),
    pattern: text,
    parameters: z.array(DetectorParameterSchema).max(MAX_DETECTOR_PARAMETERS),
    whatCannotBeKnown: text,
    /** What the detector does with delivery receipts, in plain words. */
    receiptsNote: text,
    /** Envelopes marked as delivery receipts, which the detector was not given (not conversation); 0 for report detectors. */
    receipts: count,
    /** Envelopes the detector saw. */
    observed: count,
    /** Of those, envelopes whose sender sealed sender hid: they can neither raise nor lower anyone's score. */
    unattributable: count,
    /** Accounts the pattern holds for, in all; `flagged` lists the top MAX_FLAGGED_ACCOUNTS of them. */
    flaggedTotal: count,
    flagged: z.array(FlaggedAccountSchema).max(MAX_FLAGGED_ACCOUNTS),
  })
  .strict();

export const SignalsResponseSchema = z
  .object({
    /** The last metadata-log seq the detectors have seen (0 before any envelope). */
    throughSeq: count,
    detectors: z.array(DetectorReportSchema).max(MAX_DETECTORS),
  })
  .strict();

export type SignalEvidence = z.infer<typeof SignalEvidenceSchema>;
export type FlaggedAccountWire = z.infer<typeof FlaggedAccountSchema>;
export type DetectorReportWire = z.output<typeof DetectorReportSchema>;
export type SignalsResponse = z.output<typeof SignalsResponseSchema>;
