/**
 * The content scanner (shared/protocol/content.ts): the operator's list of
 * words and patterns (migration 8's scanner_rules), and which of them a
 * message's text matches. Matches are computed when the content log is read,
 * never stored: a rule added today flags everything the server still holds,
 * which is the point the demonstration makes about keeping content.
 *
 * Rules come from the operator, but a regular expression can still take the
 * server down (catastrophic backtracking), so a pattern is bounded in length,
 * must compile, and may not repeat a repetition ("(a+)+"); texts are bounded
 * too (MAX_CONTENT_TEXT).
 */
import type Database from 'better-sqlite3';
import {
  MAX_SCANNER_MATCH_EXCERPT,
  MAX_SCANNER_RULES,
  type ScannerMatch,
  type ScannerRule,
  type ScannerRuleInput,
  type ScannerRuleKind,
} from '@envelope/protocol';

/** A rule the operator cannot have: the message says why, in words the operator can act on. */
export class ScannerRuleError extends Error {
  override readonly name = 'ScannerRuleError';
}

/** Unicode letters, digits and the underscore: what a "whole word" may not touch on either side. */
const WORD_CHARACTER = '[\\p{L}\\p{N}_]';
/** A group holding a quantifier, itself quantified: the shape of catastrophic backtracking. */
const NESTED_REPETITION = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,?\d*\})(?:[^()\\]|\\.)*\)\s*(?:[+*?]|\{\d+,?\d*\})/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The regular expression for a rule; ScannerRuleError if it cannot be one. */
export function compileRule(kind: ScannerRuleKind, pattern: string): RegExp {
  if (kind === 'word') {
    return new RegExp(`(?<!${WORD_CHARACTER})${escapeRegExp(pattern.trim())}(?!${WORD_CHARACTER})`, 'iu');
  }
  if (NESTED_REPETITION.test(pattern)) {
    throw new ScannerRuleError('the pattern repeats a repetition (like "(a+)+"), which can make matching take forever: write it without the nesting');
  }
  try {
    return new RegExp(pattern, 'iu');
  } catch (error) {
    throw new ScannerRuleError(`the pattern is not a valid regular expression: ${(error as Error).message}`);
  }
}

interface RuleRow {
  id: number;
  kind: ScannerRuleKind;
  pattern: string;
  label: string;
  created_at: number;
}

const toRule = (row: RuleRow): ScannerRule => ({ id: row.id, kind: row.kind, pattern: row.pattern, label: row.label, createdAt: row.created_at });

export interface Scanner {
  rules(): ScannerRule[];
  /** Adds a rule; ScannerRuleError if its pattern cannot be one, or the list is full. */
  add(input: ScannerRuleInput): ScannerRule;
  /** Removes a rule; false if there was none by that id. */
  remove(id: number): boolean;
  /** The rules `text` matches, in rule order, each with the text it matched first. */
  matches(text: string | null): ScannerMatch[];
}

export function scanner(db: Database.Database, now: () => number = Date.now): Scanner {
  const selectAll = db.prepare<[], RuleRow>('SELECT id, kind, pattern, label, created_at FROM scanner_rules ORDER BY id');
  const insert = db.prepare<[string, string, string, number], RuleRow>(
    'INSERT INTO scanner_rules (kind, pattern, label, created_at) VALUES (?, ?, ?, ?) RETURNING id, kind, pattern, label, created_at',
  );
  const remove = db.prepare<[number]>('DELETE FROM scanner_rules WHERE id = ?');
  const count = db.prepare<[], number>('SELECT count(*) FROM scanner_rules').pluck();
  // Compiled once per change of the list, not per message read.
  let compiled: { rule: ScannerRule; regex: RegExp }[] | undefined;
  const compiledRules = () =>
    (compiled ??= selectAll.all().flatMap((row) => {
      try {
        return [{ rule: toRule(row), regex: compileRule(row.kind, row.pattern) }];
      } catch {
        return []; // a row written by hand that no longer compiles flags nothing
      }
    }));

  return {
    rules: () => selectAll.all().map(toRule),
    add(input) {
      compileRule(input.kind, input.pattern);
      if (count.get()! >= MAX_SCANNER_RULES) throw new ScannerRuleError(`the scanner holds at most ${MAX_SCANNER_RULES} rules: remove one first`);
      const row = insert.get(input.kind, input.pattern.trim(), input.label ?? input.pattern.trim(), now())!;
      compiled = undefined;
      return toRule(row);
    },
    remove(id) {
      const removed = remove.run(id).changes > 0;
      compiled = undefined;
      return removed;
    },
    matches(text) {
      if (text === null) return [];
      const found: ScannerMatch[] = [];
      for (const { rule, regex } of compiledRules()) {
        const match = regex.exec(text);
        if (match) found.push({ ruleId: rule.id, label: rule.label, matched: match[0].slice(0, MAX_SCANNER_MATCH_EXCERPT) });
      }
      return found;
    },
  };
}
