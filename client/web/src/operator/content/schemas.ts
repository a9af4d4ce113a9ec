/**
 * What the server reads, as the operator API answers it: the content log's
 * rows with the content scanner's matches, and the scanner's rules.
 * PROVISIONAL: written before shared/protocol/content.ts landed; replaced by
 * re-exports of it on merge.
 */
import { z } from 'zod';

export const ScannerMatchSchema = z.object({ ruleId: z.number().int(), label: z.string() }).passthrough();

export const OperatorContentRowSchema = z
  .object({
    seq: z.number().int().min(1),
    messageId: z.string(),
    sender: z.string().nullable(),
    senderSource: z.enum(['signed-in', 'certificate']),
    recipient: z.string(),
    storedAt: z.number(),
    mode: z.string(),
    kind: z.string(),
    text: z.string().nullable(),
    matches: z.array(ScannerMatchSchema),
  })
  .passthrough();

export const OperatorContentResponseSchema = z.object({ rows: z.array(OperatorContentRowSchema) }).passthrough();

export const ScannerRuleSchema = z
  .object({ id: z.number().int(), kind: z.enum(['word', 'pattern']), pattern: z.string(), label: z.string(), createdAt: z.number() })
  .passthrough();

export const ScannerRulesResponseSchema = z.object({ rules: z.array(ScannerRuleSchema) }).passthrough();

export const ScannerRuleRequestSchema = z.object({ kind: z.enum(['word', 'pattern']), pattern: z.string(), label: z.string() }).strict();

export type OperatorContentRow = z.output<typeof OperatorContentRowSchema>;
export type ScannerRule = z.output<typeof ScannerRuleSchema>;
export type ScannerRuleRequest = z.output<typeof ScannerRuleRequestSchema>;
export type ScannerRules = z.output<typeof ScannerRulesResponseSchema>;
