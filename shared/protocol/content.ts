/**
 * What the server reads when a policy mode lets it (policy.ts): the content
 * log and the content scanner, on the operator's side (operator token, as the
 * rest of the operator view).
 *
 *   GET    /api/operator/content?after=SEQ&limit=N  → ContentResponse (oldest first, after SEQ)
 *   GET    /api/operator/scanner/rules              → ScannerRulesResponse
 *   POST   /api/operator/scanner/rules              ScannerRuleInput → ScannerRule (201; 400 for a pattern that does not compile)
 *   DELETE /api/operator/scanner/rules/:id          → 204 (404 NOT_FOUND if there is no such rule)
 *
 * Only messages sent under a content-access mode appear (transport-only); an
 * end-to-end encrypted message is never in the content log, whatever the mode
 * is now. Scanner matches are computed when the log is read, so a new rule
 * applies to everything the server still holds: that is what content access
 * adds to metadata (the signals).
 */
import { z } from 'zod';
import { MessageIdSchema, TimestampSchema, UsernameSchema } from './codec.js';
import { EnvelopeModeSchema, PolicyExposureSchema } from './policy.js';

/** Rows per GET /api/operator/content (`limit`, default 200). */
export const MAX_CONTENT_ENTRIES = 1_000;
/** The longest text a message carries (the client's MAX_TEXT_LENGTH, shared/client/message-codec.ts). */
export const MAX_CONTENT_TEXT = 4_000;
/** Rules the scanner holds at most: a list an operator can read. */
export const MAX_SCANNER_RULES = 100;
/** A rule's word or pattern, at most: short enough to read, and to bound how long matching one can take. */
export const MAX_SCANNER_PATTERN_LENGTH = 200;
export const MAX_SCANNER_LABEL_LENGTH = 80;
/** The matched text shown beside a flagged message, at most. */
export const MAX_SCANNER_MATCH_EXCERPT = 200;

/**
 * `word`: the word anywhere in the text as a whole word, in any case ("gun"
 * flags "Gun!" but not "begun"). `pattern`: a JavaScript regular expression
 * (Unicode, case-insensitive), refused if it does not compile or repeats a
 * repetition (which can make matching take exponential time).
 */
export const ScannerRuleKindSchema = z.enum(['word', 'pattern']);

export const ScannerRuleInputSchema = z
  .object({
    kind: ScannerRuleKindSchema,
    pattern: z.string().trim().min(1).max(MAX_SCANNER_PATTERN_LENGTH),
    /** What the rule looks for, in the operator's words (defaults to the pattern). */
    label: z.string().trim().min(1).max(MAX_SCANNER_LABEL_LENGTH).optional(),
  })
  .strict();

export const ScannerRuleSchema = z
  .object({
    id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    kind: ScannerRuleKindSchema,
    pattern: z.string().min(1).max(MAX_SCANNER_PATTERN_LENGTH),
    label: z.string().min(1).max(MAX_SCANNER_PATTERN_LENGTH),
    createdAt: TimestampSchema,
  })
  .strict();

export const ScannerRulesResponseSchema = z.object({ rules: z.array(ScannerRuleSchema).max(MAX_SCANNER_RULES) }).strict();

/** A rule that flagged a message, and the text it matched first. */
export const ScannerMatchSchema = z
  .object({ ruleId: ScannerRuleSchema.shape.id, label: ScannerRuleSchema.shape.label, matched: z.string().max(MAX_SCANNER_MATCH_EXCERPT) })
  .strict();

/** What a message's content turned out to be: a chat text, or a control message the apps send themselves. */
export const ContentKindSchema = z.enum(['text', 'receipt', 'session-reset', 'unknown']);

/** One message the server read (a content_log row). */
export const ContentEntrySchema = z
  .object({
    /** The envelope's seq in the metadata log (GET /api/operator/envelopes shows its metadata). */
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    messageId: MessageIdSchema,
    /** Who sent it; for a sealed send, the name in its sender certificate (sealing hides nothing from a server that reads content). */
    sender: UsernameSchema.nullable(),
    senderSource: z.enum(['signed-in', 'certificate']),
    recipient: UsernameSchema,
    storedAt: TimestampSchema,
    mode: EnvelopeModeSchema,
    kind: ContentKindSchema,
    /** The text of a chat message; null for control messages. */
    text: z.string().max(MAX_CONTENT_TEXT).nullable(),
    matches: z.array(ScannerMatchSchema).max(MAX_SCANNER_RULES),
  })
  .strict();

export const ContentResponseSchema = z
  .object({
    entries: z.array(ContentEntrySchema).max(MAX_CONTENT_ENTRIES),
    /** Everything the server holds readable, counted (not only this page). */
    exposure: PolicyExposureSchema,
  })
  .strict();

export type ScannerRuleKind = z.output<typeof ScannerRuleKindSchema>;
export type ScannerRuleInput = z.output<typeof ScannerRuleInputSchema>;
export type ScannerRule = z.output<typeof ScannerRuleSchema>;
export type ScannerRulesResponse = z.output<typeof ScannerRulesResponseSchema>;
export type ScannerMatch = z.output<typeof ScannerMatchSchema>;
export type ContentKind = z.output<typeof ContentKindSchema>;
export type ContentEntry = z.output<typeof ContentEntrySchema>;
export type ContentEntryWire = z.input<typeof ContentEntrySchema>;
export type ContentResponse = z.output<typeof ContentResponseSchema>;
