/** The operator page's copy of what the server read: merged by seq, bounded, flagged rows newest first, and when to read more. */
import { describe, expect, it } from 'vitest';
import { envelope } from '../test-data.js';
import { contentBehind, EMPTY_CONTENT, flaggedRows, MAX_CONTENT_ROWS, mergeContent, sendersReadFromInside } from './content-state.js';
import type { OperatorContentRow } from './schemas.js';

function row(seq: number, text: string | null, flagged = false): OperatorContentRow {
  return {
    seq,
    messageId: `m${String(seq).padStart(21, '0')}` as OperatorContentRow['messageId'],
    sender: 'alice' as OperatorContentRow['sender'],
    senderSource: 'signed-in',
    recipient: 'bob' as OperatorContentRow['recipient'],
    storedAt: 1_700_000_000_000 + seq,
    mode: 'transport-only',
    kind: text === null ? 'receipt' : 'text',
    text,
    matches: flagged ? [{ ruleId: 1, label: 'meeting place', matched: 'gym' }] : [],
  };
}

describe('content state', () => {
  it('merges pages by seq (a row read twice is kept once) and lists flagged rows newest first', () => {
    let state = mergeContent(EMPTY_CONTENT, [row(2, 'behind the gym', true), row(3, null)]);
    state = mergeContent(state, [row(3, null), row(5, 'the gym again', true), row(6, 'hello')]);
    expect([...state.bySeq.keys()].sort((a, b) => a - b)).toEqual([2, 3, 5, 6]);
    expect(state.through).toBe(6);
    expect(flaggedRows(state).map((r) => r.seq)).toEqual([5, 2]);
    expect(mergeContent(state, [])).toBe(state);
  });

  it('counts the sealed envelopes whose sender the server read from inside (the graph says so)', () => {
    const sealed = { ...row(7, 'from a hidden sender'), senderSource: 'certificate' as const };
    expect(sendersReadFromInside(mergeContent(EMPTY_CONTENT, [row(2, 'signed in'), sealed]))).toBe(1);
    expect(sendersReadFromInside(EMPTY_CONTENT)).toBe(0);
  });

  it('keeps the newest MAX_CONTENT_ROWS', () => {
    const rows = Array.from({ length: MAX_CONTENT_ROWS + 3 }, (_, i) => row(i + 1, `text ${i + 1}`));
    const state = mergeContent(EMPTY_CONTENT, rows);
    expect(state.bySeq.size).toBe(MAX_CONTENT_ROWS);
    expect(state.bySeq.has(1)).toBe(false);
    expect(state.bySeq.has(MAX_CONTENT_ROWS + 3)).toBe(true);
  });

  it('reads more only for a readable envelope past what it holds', () => {
    const state = mergeContent(EMPTY_CONTENT, [row(4, 'read')]);
    expect(contentBehind(state, [envelope(9, 'alice', 'bob', { mode: 'e2ee' })])).toBe(false);
    expect(contentBehind(state, [envelope(4, 'alice', 'bob', { mode: 'transport-only' })])).toBe(false);
    expect(contentBehind(state, [envelope(5, 'alice', 'bob', { mode: 'transport-only' })])).toBe(true);
  });
});
