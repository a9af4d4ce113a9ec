/**
 * One person's timeline as the server can reconstruct it: when they sent or
 * received, with whom, how much. Grouped into bursts (a run of envelopes the
 * same way with the same person, close together), because a burst is what a
 * reader of metadata sees as "a conversation".
 */
import type { OperatorAccount, OperatorEnvelope, TimelineEvent } from './schemas.js';

/** Events further apart than this start a new burst: a pause long enough to call it another conversation. */
export const BURST_GAP_MS = 5 * 60_000;
/** Events kept per timeline; the server sends at most its own page anyway. */
export const MAX_TIMELINE_ROWS = 1_000;

export interface Burst {
  readonly direction: TimelineEvent['direction'];
  /** null: received with the sender hidden (sealed sender). */
  readonly peer: string | null;
  /** A run of delivery receipts the app marked as such (not messages anyone wrote). */
  readonly receipts: boolean;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly envelopes: number;
  readonly bytes: number;
  /** Newest first, like the bursts themselves. */
  readonly events: readonly TimelineEvent[];
}

export interface PeerTally {
  readonly peer: string | null;
  readonly sent: number;
  readonly received: number;
  /** Marked delivery receipts, both ways: not in `sent` or `received`. */
  readonly receipts: number;
}

type Run = { direction: TimelineEvent['direction']; peer: string | null; receipts: boolean; events: TimelineEvent[] };

/** Groups newest-first events into newest-first bursts; marked receipts make bursts of their own. */
export function groupBursts(events: readonly TimelineEvent[]): Burst[] {
  const bursts: Burst[] = [];
  let current: Run | null = null;
  for (const event of events) {
    const last = current?.events[current.events.length - 1];
    const receipts = event.receipt === true;
    if (current && last && current.direction === event.direction && current.peer === event.peer && current.receipts === receipts && last.at - event.at <= BURST_GAP_MS) {
      current.events.push(event);
      continue;
    }
    if (current) bursts.push(toBurst(current));
    current = { direction: event.direction, peer: event.peer, receipts, events: [event] };
  }
  if (current) bursts.push(toBurst(current));
  return bursts;
}

function toBurst(run: Run): Burst {
  const ats = run.events.map((event) => event.at);
  return {
    direction: run.direction,
    peer: run.peer,
    receipts: run.receipts,
    firstAt: Math.min(...ats),
    lastAt: Math.max(...ats),
    envelopes: run.events.length,
    bytes: run.events.reduce((sum, event) => sum + event.size, 0),
    events: run.events,
  };
}

/** Who this person deals with most, busiest first (ties by name, hidden senders last). */
export function tallyPeers(events: readonly TimelineEvent[]): PeerTally[] {
  const tallies = new Map<string | null, { sent: number; received: number; receipts: number }>();
  for (const event of events) {
    const tally = tallies.get(event.peer) ?? { sent: 0, received: 0, receipts: 0 };
    if (event.receipt === true) tally.receipts++;
    else if (event.direction === 'sent') tally.sent++;
    else tally.received++;
    tallies.set(event.peer, tally);
  }
  return [...tallies]
    .map(([peer, tally]) => ({ peer, ...tally }))
    .sort((x, y) => y.sent + y.received - (x.sent + x.received) || compareNames(x.peer, y.peer));
}

function compareNames(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** The timeline events an envelope from the stream adds for `username` (two for a message to their own other device). */
export function eventsFor(username: string, envelope: OperatorEnvelope): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const common = { seq: envelope.seq, messageId: envelope.messageId, at: envelope.sentAt, size: envelope.size, kind: envelope.kind, receipt: envelope.receipt };
  if (envelope.sender === username) {
    events.push({ ...common, direction: 'sent', peer: envelope.recipient, peerDevice: envelope.recipientDevice });
  }
  if (envelope.recipient === username) {
    events.push({ ...common, direction: 'received', peer: envelope.sender, peerDevice: envelope.senderDevice });
  }
  return events;
}

/** Adds events to a newest-first list, once each (a reconnect may resend an envelope). */
export function mergeTimeline(events: readonly TimelineEvent[], added: readonly TimelineEvent[]): TimelineEvent[] {
  if (added.length === 0) return [...events];
  const key = (event: TimelineEvent) => `${event.seq}:${event.direction}`;
  const byKey = new Map(events.map((event) => [key(event), event]));
  for (const event of added) byKey.set(key(event), event);
  return [...byKey.values()].sort((a, b) => b.seq - a.seq || (a.direction < b.direction ? -1 : 1)).slice(0, MAX_TIMELINE_ROWS);
}

export interface TimelineView {
  readonly account: OperatorAccount;
  readonly events: readonly TimelineEvent[];
  readonly bursts: readonly Burst[];
  readonly peers: readonly PeerTally[];
}

export function timelineView(account: OperatorAccount, events: readonly TimelineEvent[]): TimelineView {
  return { account, events, bursts: groupBursts(events), peers: tallyPeers(events) };
}
