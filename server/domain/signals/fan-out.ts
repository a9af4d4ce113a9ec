/**
 * Fan-out bursts: one account sending to many different recipients within a
 * minute. A person types to a few people a minute; a script or a broadcast
 * (spam, scams, links to illegal goods) writes to dozens.
 */
import {
  EvidenceRing,
  MAX_FLAGGED,
  MINUTE_MS,
  SEALED_RECEIPT_NOTE,
  SEALED_SENDER_NOTE,
  thresholdScore,
  topFlagged,
  type Detector,
  type DetectorReport,
  type EventAccounts,
  type MetadataEvent,
} from './detector.js';

/** A minute: long enough to catch a scripted burst, short enough that a busy afternoon of chats stays below. */
export const FAN_OUT_WINDOW_MS = MINUTE_MS;
/** Twenty-five distinct recipients a minute: beyond what a person types, below a group message to a large group (a known false positive). */
export const FAN_OUT_THRESHOLD = 25;

/**
 * Recent envelopes of one sender inside the window: (time, recipient) pairs oldest first in one
 * array, and how many distinct recipients. The window is short (a minute, at most `cap`
 * envelopes) and for nearly every sender holds one or two, so: scanning it to see whether a
 * recipient is already there costs less than a map per sender, and the array is reused from its
 * start whenever the window empties, so it stays a few entries long. What this detector costs per
 * envelope is mostly fetching its state from memory: one small array, not a map and two arrays.
 */
class RecipientWindow {
  /** time, recipient, time, recipient, ...: entries [head, end) are inside the window. */
  private readonly entries: number[] = [];
  private head = 0;
  private end = 0;
  private distinct = 0;

  constructor(
    private readonly windowMs: number,
    private readonly cap: number,
  ) {}

  /** Adds the envelope, forgets what fell out of the window (or past the cap); returns the distinct recipients inside. */
  push(at: number, recipient: number): number {
    const entries = this.entries;
    if (this.head === this.end) this.head = this.end = 0; // empty: start again at the front
    if (!this.holds(recipient, this.head)) this.distinct++;
    entries[this.end] = at;
    entries[this.end + 1] = recipient;
    this.end += 2;
    const since = at - this.windowMs;
    while (this.head < this.end && (entries[this.head]! <= since || (this.end - this.head) / 2 > this.cap)) {
      const old = entries[this.head + 1]!;
      this.head += 2;
      if (!this.holds(old, this.head)) this.distinct--;
    }
    if (this.head > 128 && this.head * 2 > this.end) {
      // A window that never empties (a steady sender): move what is inside to the front.
      entries.copyWithin(0, this.head, this.end);
      this.end -= this.head;
      this.head = 0;
      entries.length = this.end;
    }
    return this.distinct;
  }

  /** True if `recipient` is in the window from entry `from` on. */
  private holds(recipient: number, from: number): boolean {
    const entries = this.entries;
    for (let i = from + 1; i < this.end; i += 2) if (entries[i] === recipient) return true;
    return false;
  }
}

interface SenderState {
  readonly account: string;
  readonly window: RecipientWindow;
  peak: number;
  /** Envelopes sent while the window held at least the threshold. */
  burstEnvelopes: number;
  readonly evidence: EvidenceRing;
}

export class FanOutDetector implements Detector {
  readonly id = 'fan-out';
  private readonly senders: (SenderState | undefined)[] = [];
  private observed = 0;
  private unattributable = 0;

  constructor(
    private readonly windowMs = FAN_OUT_WINDOW_MS,
    private readonly threshold = FAN_OUT_THRESHOLD,
  ) {}

  observe(event: MetadataEvent, accounts: EventAccounts): void {
    this.observed++;
    if (event.sender === null) {
      this.unattributable++;
      return;
    }
    let state = this.senders[accounts.senderId];
    if (!state) {
      // Window capped at 4x the threshold: enough to see the distinct count pass twice the threshold (full score).
      const window = new RecipientWindow(this.windowMs, 4 * this.threshold);
      this.senders[accounts.senderId] = state = { account: event.sender, window, peak: 0, burstEnvelopes: 0, evidence: new EvidenceRing() };
    }
    const distinct = state.window.push(event.sentAt, accounts.recipientId);
    if (distinct > state.peak) state.peak = distinct;
    if (distinct >= this.threshold) {
      state.burstEnvelopes++;
      state.evidence.push(event);
    }
  }

  report(limit = MAX_FLAGGED): DetectorReport {
    const flagged = [];
    for (const s of this.senders) {
      if (!s || s.peak < this.threshold) continue;
      flagged.push({
        account: s.account,
        score: thresholdScore(s.peak, this.threshold),
        summary: `up to ${s.peak} distinct recipients within ${this.windowMs / 1000} s (${s.burstEnvelopes} envelopes sent during bursts)`,
        evidence: s.evidence.toArray(),
      });
    }
    return {
      id: this.id,
      title: 'Fan-out bursts',
      pattern: 'One account sends envelopes to many different recipients within a minute.',
      parameters: [
        { name: 'windowMs', value: this.windowMs, reason: 'A minute catches a scripted burst; a busy afternoon of chats stays below.' },
        { name: 'threshold', value: this.threshold, reason: 'Beyond what a person types in a minute; a message to a large group also reaches it (a known false positive).' },
      ],
      whatCannotBeKnown:
        'What was sent: a scam link and a class announcement to a group look the same, since a group message is one envelope per member. ' +
        SEALED_SENDER_NOTE,
      receiptsNote: 'Receipts marked as such are left out: confirming messages from many people at once is not writing to many people. ' + SEALED_RECEIPT_NOTE,
      observed: this.observed,
      unattributable: this.unattributable,
      flaggedTotal: flagged.length,
      flagged: topFlagged(flagged, limit),
    };
  }
}
