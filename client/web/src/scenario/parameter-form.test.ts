import { describe, expect, it } from 'vitest';
import { DEFAULTS, PARAMETER_INFO } from '@envelope/scenario';
import { defaultValues, formatDefault, PAGE_MAX_USERS, parameterGroups, parameterLabel, parseForm, type FormValues } from './parameter-form.js';

const withValues = (changes: Partial<FormValues>): FormValues => ({ ...defaultValues(), ...changes });

describe('the scenario page’s parameter form', () => {
  it('lists every parameter of the package exactly once, each with provenance', () => {
    const listed = parameterGroups().flatMap((g) => g.keys);
    expect([...listed].sort()).toEqual(Object.keys(DEFAULTS).sort());
    expect(new Set(listed).size).toBe(listed.length);
    for (const key of listed) expect(['sourced', 'assumed']).toContain(PARAMETER_INFO[key].provenance);
  });

  it('reads the defaults as no override at all, and the parameters as the package’s defaults', () => {
    const parsed = parseForm(defaultValues());
    expect(parsed).toEqual({ ok: true, overrides: {}, parameters: DEFAULTS });
  });

  it('passes what changed, typed: numbers (with thousands commas), padding, discoverability', () => {
    const parsed = parseForm(withValues({ users: '2,000', days: ' 7 ', padding: 'false', discoverability: 'contacts-only', hashFalseMatchRate: '1e-7' }));
    expect(parsed.ok && parsed.overrides).toEqual({ users: 2000, days: 7, padding: false, discoverability: 'contacts-only', hashFalseMatchRate: 1e-7 });
  });

  it('names a field that is not a number in words, and refuses a decimal comma rather than read 0,25 as 25', () => {
    const parsed = parseForm(withValues({ sealedSenderShare: 'half', minorShare: '0,25', seed: '' }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.key).sort()).toEqual(['minorShare', 'sealedSenderShare', 'seed']);
    expect(parsed.errors.find((e) => e.key === 'sealedSenderShare')!.message).toBe('Share of accounts using sealed sender must be a number, such as 0; “half” is not one.');
    expect(parsed.errors.find((e) => e.key === 'seed')!.message).toBe('Seed: enter a number (the default is 1).');
  });

  it('says the package’s range checks with the field’s label', () => {
    const parsed = parseForm(withValues({ hashRecall: '2' }));
    expect(parsed).toEqual({ ok: false, errors: [{ key: 'hashRecall', message: 'Hash recall must be a share from 0 to 1, not 2.' }] });
    const users = parseForm(withValues({ users: '5' }));
    expect(!users.ok && users.errors[0]!.message).toBe('Accounts must be a whole number from 100 to 20,000 in the browser, not 5.');
    const days = parseForm(withValues({ days: '2.5' }));
    expect(!days.ok && days.errors[0]!.message).toBe('Days must be a whole number from 1 to 30 in the browser, not 2.5.');
    const uk = parseForm(withValues({ ukUsers: '0' }));
    expect(!uk.ok && uk.errors[0]!.message).toBe('Accounts of a UK-sized service (for the scaled figures) must be a whole number from 1 to 10,000,000,000, not 0.');
  });

  it('keeps a run within what a browser tab can hold, and says why', () => {
    const tooMany = parseForm(withValues({ users: String(PAGE_MAX_USERS + 1), days: '1' }));
    expect(!tooMany.ok && tooMany.errors[0]!.message).toMatch(/^In the browser, at most 20,000 accounts \(not 20,001\)\. A run in this tab keeps/);
    const tooLong = parseForm(withValues({ users: '20000', days: '30' }));
    expect(!tooLong.ok && tooLong.errors[0]!.message).toMatch(/accounts × days may be at most 300,000 \(20,000 × 30 is 600,000\)/);
    expect(parseForm(withValues({ users: '10000', days: '30' })).ok).toBe(true);
  });

  it('labels and defaults read as words and numbers', () => {
    expect(parameterLabel('groomerShareOfAdults')).toBe('Groomer share of adults');
    expect(parameterLabel('spamClassifierFpr')).toBe('Spam classifier false-positive rate');
    expect(formatDefault('users')).toBe('10,000');
    expect(formatDefault('hashFalseMatchRate')).toBe('3e-8');
    expect(formatDefault('padding')).toBe('on');
  });
});
