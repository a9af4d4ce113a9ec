/**
 * What the server read, as the operator page holds it: the content log's rows
 * by seq (the same seq as the envelope they came in, so the envelope table
 * puts each text beside its metadata), and how far the page has read. Pure
 * functions over plain data, tested without a page.
 */
import { DEFAULT_POLICY_MODE } from '@envelope/protocol';
import type { OperatorEnvelope } from '../schemas.js';
import type { OperatorContentRow } from './schemas.js';

/** Rows kept: far beyond a lesson; the oldest go first past it. */
export const MAX_CONTENT_ROWS = 2_000;

export interface ContentState {
  readonly bySeq: ReadonlyMap<number, OperatorContentRow>;
  /** The highest seq read: the next request asks after it. 0 before any. */
  readonly through: number;
}

export const EMPTY_CONTENT: ContentState = { bySeq: new Map(), through: 0 };

export function mergeContent(state: ContentState, rows: readonly OperatorContentRow[]): ContentState {
  if (rows.length === 0) return state;
  const bySeq = new Map(state.bySeq);
  for (const row of rows) bySeq.set(row.seq, row);
  const seqs = [...bySeq.keys()].sort((a, b) => a - b);
  for (const old of seqs.slice(0, Math.max(0, seqs.length - MAX_CONTENT_ROWS))) bySeq.delete(old);
  return { bySeq, through: Math.max(state.through, ...rows.map((row) => row.seq)) };
}

/** The messages the content scanner flags, newest first. */
export function flaggedRows(state: ContentState): OperatorContentRow[] {
  return [...state.bySeq.values()].filter((row) => row.matches.length > 0).sort((a, b) => b.seq - a.seq);
}

/**
 * Sealed envelopes whose sender the server read anyway, from the certificate
 * inside (transport-only opens every message): the graph's hidden senders that
 * are hidden from the metadata log only.
 */
export function sendersReadFromInside(state: ContentState): number {
  let count = 0;
  for (const row of state.bySeq.values()) if (row.senderSource === 'certificate') count++;
  return count;
}

/** True when the stream shows a readable envelope the page has not read the text of yet. */
export function contentBehind(state: ContentState, envelopes: readonly OperatorEnvelope[]): boolean {
  return envelopes.some((envelope) => envelope.mode !== DEFAULT_POLICY_MODE && envelope.seq > state.through);
}
