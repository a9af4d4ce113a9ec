/**
 * What the server reads, as the operator API answers it (shared/protocol/content.ts):
 * the content log's entries with the content scanner's matches, and the scanner's rules.
 */
export {
  ContentResponseSchema,
  ScannerRuleSchema,
  ScannerRulesResponseSchema,
  type ContentEntry as OperatorContentRow,
  type ScannerRule,
  type ScannerRuleInput as ScannerRuleRequest,
  type ScannerRulesResponse as ScannerRules,
} from '@envelope/protocol';
