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
 * Recent envelopes of one sender inside the window: recipients oldest first, and how many distinct.
 * The window is short (a minute, at most `cap` envelopes) and for nearly every sender holds one or
 * two: scanning it to see whether a recipient is already there costs less than a map per sender,
 * whose table was one more piece of memory to fetch per envelope (the detector's largest cost).
 */
class RecipientWindow {
  private times: number[] = [];
  private recipients: number[] = [];
  private head = 0;
  private distinct = 0;

  constructor(
    private readonly windowMs: number,
    private readonly cap: number,
  ) {}

  /** Adds the envelope, forgets what fell out of the window (or past the cap); returns the distinct recipients inside. */
  push(at: number, recipient: number): number {
    if (!this.holds(recipient, this.head)) this.distinct++;
    this.times.push(at);
    this.recipients.push(recipient);
    const since = at - this.windowMs;
    while (this.head < this.times.length && (this.times[this.head]! <= since || this.times.length - this.head > this.cap)) {
      const old = this.recipients[this.head]!;
      this.head++;
      if (!this.holds(old, this.head)) this.distinct--;
    }
    if (this.head > 64 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.recipients = this.recipients.slice(this.head);
      this.head = 0;
    }
    return this.distinct;
  }

  /** True if `recipient` is in the window from index `from` on. */
  private holds(recipient: number, from: number): boolean {
    const recipients = this.recipients;
    for (let i = from; i < recipients.length; i++) if (recipients[i] === recipient) return true;
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
