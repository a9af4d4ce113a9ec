import { describe, expect, it } from 'vitest';
import { applyAck, EMPTY_FEED, MAX_FEED_ROWS, mergeEnvelopes, noteSkipped } from './feed.js';
import { envelope } from './test-data.js';

describe('the live envelope table', () => {
  it('shows the newest envelope first, whatever order they arrive in, and remembers the last seq', () => {
    const feed = mergeEnvelopes(mergeEnvelopes(EMPTY_FEED, [envelope(3, 'alice', 'bob'), envelope(1, 'bob', 'alice')]), [envelope(2, null, 'bob')]);
    expect(feed.rows.map((row) => row.seq)).toEqual([3, 2, 1]);
    expect(feed.lastSeq).toBe(3);
  });

  it('shows an envelope resent after a reconnect once', () => {
    const first = mergeEnvelopes(EMPTY_FEED, [envelope(1, 'alice', 'bob'), envelope(2, 'alice', 'bob')]);
    const again = mergeEnvelopes(first, [envelope(2, 'alice', 'bob'), envelope(3, 'bob', 'alice')]);
    expect(again.rows.map((row) => row.seq)).toEqual([3, 2, 1]);
  });

  it('turns a row to "deleted" when the recipient confirms, and keeps it deleted if the envelope is resent', () => {
    const feed = mergeEnvelopes(EMPTY_FEED, [envelope(1, 'alice', 'bob'), envelope(2, 'alice', 'carol')]);
    const acked = applyAck(feed, { messageId: feed.rows[1]!.messageId, recipient: feed.rows[1]!.recipient, recipientDevice: feed.rows[1]!.recipientDevice });
    expect(acked.rows.map((row) => [row.seq, row.stillStored, row.ciphertextPreview])).toEqual([
      [2, true, feed.rows[0]!.ciphertextPreview],
      [1, false, null],
    ]);
    expect(mergeEnvelopes(acked, [envelope(1, 'alice', 'bob')]).rows[1]).toMatchObject({ stillStored: false, ciphertextPreview: null });
  });

  it('ignores an ack from another device or for an envelope not shown', () => {
    const feed = mergeEnvelopes(EMPTY_FEED, [envelope(1, 'alice', 'bob')]);
    const row = feed.rows[0]!;
    expect(applyAck(feed, { messageId: row.messageId, recipient: row.recipient, recipientDevice: 2 as typeof row.recipientDevice })).toBe(feed);
    expect(applyAck(feed, { messageId: 'message-9999' as typeof row.messageId, recipient: row.recipient, recipientDevice: row.recipientDevice })).toBe(feed);
  });

  it('keeps only the newest MAX_FEED_ROWS rows, and counts what the server skipped', () => {
    const many = Array.from({ length: MAX_FEED_ROWS + 20 }, (_, i) => envelope(i + 1, 'alice', 'bob'));
    const feed = mergeEnvelopes(EMPTY_FEED, many);
    expect(feed.rows).toHaveLength(MAX_FEED_ROWS);
    expect(feed.rows.at(-1)!.seq).toBe(21);
    expect(feed.lastSeq).toBe(MAX_FEED_ROWS + 20);
    expect(noteSkipped(noteSkipped(feed, 5), 2).skipped).toBe(7);
  });

  it('stays at MAX_FEED_ROWS however long the stream runs, acks included, and keeps the newest', () => {
    let feed = EMPTY_FEED;
    for (let batch = 0; batch < 100; batch++) {
      const envelopes = Array.from({ length: 50 }, (_, i) => envelope(batch * 50 + i + 1, 'alice', 'bob'));
      feed = mergeEnvelopes(feed, envelopes);
      feed = applyAck(feed, { messageId: envelopes[0]!.messageId, recipient: envelopes[0]!.recipient, recipientDevice: envelopes[0]!.recipientDevice });
      expect(feed.rows.length).toBeLessThanOrEqual(MAX_FEED_ROWS);
    }
    expect(feed.rows).toHaveLength(MAX_FEED_ROWS);
    expect(feed.rows[0]!.seq).toBe(5_000);
    expect(feed.lastSeq).toBe(5_000);
  });
});
