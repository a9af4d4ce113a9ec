/**
 * The live table of envelopes: the first page fetched on opening, merged with
 * what the stream sends after. Pure functions over plain data, so the merge
 * rules (newest first, no duplicates after a reconnect, acks turn a row to
 * "deleted") are tested without a page.
 */
import type { OperatorAck, OperatorEnvelope } from './schemas.js';

/** Rows kept on screen: a lesson's worth, and few enough for the table to stay quick on a projector laptop. */
export const MAX_FEED_ROWS = 300;

export interface FeedState {
  /** Newest first (highest seq first), at most MAX_FEED_ROWS. */
  readonly rows: readonly OperatorEnvelope[];
  /** The highest seq seen: the stream resumes after it. Null before anything arrived. */
  readonly lastSeq: number | null;
  /** Envelopes the server said it did not resend (beyond its backfill), so the table is not complete. */
  readonly skipped: number;
}

export const EMPTY_FEED: FeedState = { rows: [], lastSeq: null, skipped: 0 };

/** Adds envelopes (from a page or the stream, in any order); a seq already shown is replaced by the newer report. */
export function mergeEnvelopes(feed: FeedState, envelopes: readonly OperatorEnvelope[]): FeedState {
  if (envelopes.length === 0) return feed;
  const bySeq = new Map(feed.rows.map((row) => [row.seq, row]));
  for (const envelope of envelopes) {
    const shown = bySeq.get(envelope.seq);
    // A resent envelope may be older news than an ack we already applied: deletion is final.
    bySeq.set(envelope.seq, shown && !shown.stillStored ? { ...envelope, stillStored: false, ciphertextPreview: null } : envelope);
  }
  const rows = [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, MAX_FEED_ROWS);
  const newest = Math.max(...envelopes.map((envelope) => envelope.seq));
  return { ...feed, rows, lastSeq: feed.lastSeq === null ? newest : Math.max(feed.lastSeq, newest) };
}

/** The recipient's device confirmed: the server deleted the ciphertext, only the metadata row remains. */
export function applyAck(feed: FeedState, ack: OperatorAck): FeedState {
  let changed = false;
  const rows = feed.rows.map((row) => {
    if (row.messageId !== ack.messageId || row.recipient !== ack.recipient || row.recipientDevice !== ack.recipientDevice || !row.stillStored) return row;
    changed = true;
    return { ...row, stillStored: false, ciphertextPreview: null };
  });
  return changed ? { ...feed, rows } : feed;
}

export function noteSkipped(feed: FeedState, count: number): FeedState {
  return { ...feed, skipped: feed.skipped + count };
}
