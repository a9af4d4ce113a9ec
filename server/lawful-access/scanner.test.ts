/**
 * The content scanner's rules: what a word and a pattern match, and which
 * patterns are refused before they can reach a message.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_SCANNER_RULES } from '@envelope/protocol';
import { openDatabase } from '@envelope/server/storage/database.js';
import { compileRule, scanner, ScannerRuleError } from './scanner.js';

const refusal = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return error instanceof ScannerRuleError ? error.message : 'untyped';
  }
};

describe('scanner rules', () => {
  it('matches a word whole and in any case, in any script, and never inside another word', () => {
    const gun = compileRule('word', 'gun');
    expect(['a Gun!', 'GUN', 'gun.', '«gun»'].map((t) => gun.test(t))).toEqual([true, true, true, true]);
    expect(['begun', 'gunning', 'shotgun', 'gun_x', 'gun2'].map((t) => gun.test(t))).toEqual([false, false, false, false, false]);
    expect(compileRule('word', 'école').test('à l’École demain')).toBe(true);
    expect(compileRule('word', 'école').test('lécole')).toBe(false);
    // A word is taken literally: its punctuation is not a pattern.
    expect(compileRule('word', 'a.b').test('axb')).toBe(false);
    expect(compileRule('word', 'a.b').test('see a.b now')).toBe(true);
  });

  it('compiles a pattern case-insensitively, and refuses one that does not compile or nests repetitions', () => {
    expect(compileRule('pattern', '\\d{4}-\\d{4}').test('card 1234-5678')).toBe(true);
    expect(compileRule('pattern', 'meet(ing)? at').test('MEETING AT six')).toBe(true);
    expect(refusal(() => compileRule('pattern', '(unclosed'))).toMatch(/not a valid regular expression/);
    for (const nested of ['(a+)+', '(a*)*b', '(x+y)+$', '(\\w+\\s?)*$', '(a{1,3}){2,}']) {
      expect(refusal(() => compileRule('pattern', nested)), nested).toMatch(/repeats a repetition/);
    }
    expect(refusal(() => compileRule('pattern', '(ab)+c'))).toBe('accepted');
  });

  it('keeps the rules, flags texts on read, and holds at most its bound', () => {
    const rules = scanner(openDatabase(mkdtempSync(join(tmpdir(), 'envelope-scanner-'))), () => 7);
    const rule = rules.add({ kind: 'word', pattern: ' parcel ', label: 'parcels' });
    expect(rule).toEqual({ id: 1, kind: 'word', pattern: 'parcel', label: 'parcels', createdAt: 7 });
    expect(rules.matches('the Parcel is here')).toEqual([{ ruleId: 1, label: 'parcels', matched: 'Parcel' }]);
    expect(rules.matches(null)).toEqual([]);
    expect(rules.remove(1)).toBe(true);
    expect(rules.matches('the parcel')).toEqual([]);
    for (let i = 0; i < MAX_SCANNER_RULES; i++) rules.add({ kind: 'word', pattern: `w${i}` });
    expect(refusal(() => rules.add({ kind: 'word', pattern: 'one too many' }))).toMatch(/at most 100 rules/);
  });
});
