import { describe, expect, it } from 'vitest';
import { envelope, event } from './test-data.js';
import { BURST_GAP_MS, eventsFor, groupBursts, mergeTimeline, tallyPeers } from './timeline.js';

const minute = 60_000;

describe('a person’s timeline', () => {
  it('groups envelopes the same way with the same person, close together, into one burst', () => {
    const events = [
      event(6, 'sent', 'bob', 20 * minute),
      event(5, 'sent', 'bob', 19 * minute),
      event(4, 'received', 'bob', 18 * minute),
      event(3, 'sent', 'bob', 17 * minute),
      event(2, 'sent', 'bob', 17 * minute - BURST_GAP_MS - 1),
      event(1, 'received', null, 0),
    ];
    expect(groupBursts(events).map((burst) => [burst.direction, burst.peer, burst.envelopes, burst.firstAt, burst.lastAt])).toEqual([
      ['sent', 'bob', 2, 19 * minute, 20 * minute],
      ['received', 'bob', 1, 18 * minute, 18 * minute],
      ['sent', 'bob', 1, 17 * minute, 17 * minute],
      // More than BURST_GAP_MS before the next: another conversation.
      ['sent', 'bob', 1, 17 * minute - BURST_GAP_MS - 1, 17 * minute - BURST_GAP_MS - 1],
      ['received', null, 1, 0, 0],
    ]);
    expect(groupBursts([])).toEqual([]);
  });

  it('tallies who the person deals with, busiest first and hidden senders last', () => {
    const events = [event(5, 'received', 'carol', 5, 128, true), event(4, 'sent', 'carol', 4), event(3, 'received', null, 3), event(2, 'received', 'bob', 2), event(1, 'sent', 'bob', 1)];
    expect(tallyPeers(events)).toEqual([
      { peer: 'bob', sent: 1, received: 1, receipts: 0 },
      { peer: 'carol', sent: 1, received: 0, receipts: 1 }, // Carol's receipt is not her writing back
      { peer: null, sent: 0, received: 1, receipts: 0 },
    ]);
  });

  it('puts marked receipts in bursts of their own', () => {
    const bursts = groupBursts([event(3, 'received', 'bob', 3, 128, true), event(2, 'received', 'bob', 2), event(1, 'received', 'bob', 1, 128, true)]);
    expect(bursts.map((b) => [b.receipts, b.envelopes])).toEqual([
      [true, 1],
      [false, 1],
      [true, 1],
    ]);
  });

  it('turns a streamed envelope into the events of the person it concerns', () => {
    expect(eventsFor('alice', envelope(1, 'alice', 'bob')).map((e) => [e.direction, e.peer])).toEqual([['sent', 'bob']]);
    expect(eventsFor('bob', envelope(1, 'alice', 'bob')).map((e) => [e.direction, e.peer])).toEqual([['received', 'alice']]);
    expect(eventsFor('bob', envelope(1, null, 'bob')).map((e) => [e.direction, e.peer])).toEqual([['received', null]]);
    expect(eventsFor('carol', envelope(1, 'alice', 'bob'))).toEqual([]);
    // To one's own other device: sent and received.
    expect(eventsFor('alice', envelope(1, 'alice', 'alice')).map((e) => e.direction)).toEqual(['sent', 'received']);
  });

  it('merges streamed events newest first, once each', () => {
    const loaded = [event(3, 'sent', 'bob', 3), event(1, 'received', 'bob', 1)];
    const merged = mergeTimeline(loaded, [event(4, 'sent', 'bob', 4), event(3, 'sent', 'bob', 3)]);
    expect(merged.map((e) => e.seq)).toEqual([4, 3, 1]);
  });
});
