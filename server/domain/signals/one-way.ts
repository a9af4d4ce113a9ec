/**
 * One-way conversations: an account sends many envelopes to someone who
 * (almost) never writes back. Harassment, stalking and pressure look like this;
 * so does a newsletter nobody answers.
 */
import {
  EvidenceRing,
  MAX_FLAGGED,
  SEALED_RECEIPT_NOTE,
  SEALED_SENDER_NOTE,
  topFlagged,
  type Detector,
  type DetectorReport,
  type EventAccounts,
  type MetadataEvent,
} from './detector.js';

/** Twenty envelopes before a conversation can count: below that, a few unanswered messages are just a slow friend. */
export const ONE_WAY_MIN_SENT = 20;
/** At most one reply for ten sent: an ordinary chat is close to even, however unequal the talkers. */
export const ONE_WAY_MAX_REPLY_RATIO = 0.1;
/** Full score at three one-way conversations: one can be a single bad day; several is a habit. */
export const ONE_WAY_FULL_SCORE_CONVERSATIONS = 3;
/** Conversations tracked at most (two counters each, ~100 bytes): more than a million-envelope log can hold. */
export const MAX_TRACKED_CONVERSATIONS = 2_000_000;

interface Pair {
  /** Envelopes from the lower-numbered account to the higher, and back. */
  low: number;
  high: number;
}

interface SenderState {
  readonly account: string;
  oneWay: number;
  readonly evidence: EvidenceRing;
}

export class OneWayDetector implements Detector {
  readonly id = 'one-way';
  /** Each conversation's counters, under its lower-numbered account: one map entry per conversation, not one per side. */
  private readonly pairs: (Map<number, Pair> | undefined)[] = [];
  private tracked = 0;
  private readonly senders: (SenderState | undefined)[] = [];
  private observed = 0;
  private unattributable = 0;
  private untracked = 0;

  constructor(
    private readonly minSent = ONE_WAY_MIN_SENT,
    private readonly maxReplyRatio = ONE_WAY_MAX_REPLY_RATIO,
    private readonly fullScoreConversations = ONE_WAY_FULL_SCORE_CONVERSATIONS,
  ) {}

  private isOneWay(sent: number, replies: number): boolean {
    return sent >= this.minSent && replies <= this.maxReplyRatio * sent;
  }

  observe(event: MetadataEvent, { senderId: sender, recipientId: recipient }: EventAccounts): void {
    this.observed++;
    if (event.sender === null) {
      this.unattributable++;
      return;
    }
    if (sender === recipient) return;
    const senderIsLow = sender < recipient;
    const low = senderIsLow ? sender : recipient;
    const high = senderIsLow ? recipient : sender;
    let pair = this.pairs[low]?.get(high);
    if (!pair) {
      if (this.tracked >= MAX_TRACKED_CONVERSATIONS) {
        this.untracked++;
        return;
      }
      pair = { low: 0, high: 0 };
      this.tracked++;
      this.side(low).set(high, pair);
    }
    const sentBefore = senderIsLow ? pair.low : pair.high;
    const replies = senderIsLow ? pair.high : pair.low;
    const wasOneWay = this.isOneWay(sentBefore, replies);
    // The recipient's own one-way conversation towards the sender can only end by this envelope (a reply).
    const recipientWasOneWay = this.isOneWay(replies, sentBefore);
    if (senderIsLow) pair.low++;
    else pair.high++;
    const isOneWay = this.isOneWay(sentBefore + 1, replies);
    if (recipientWasOneWay && !this.isOneWay(replies, sentBefore + 1)) this.senders[recipient]!.oneWay--;
    // Evidence: envelopes on a conversation that is unanswered so far (before it reaches minSent too).
    if (replies > this.maxReplyRatio * (sentBefore + 1)) return;
    let state = this.senders[sender];
    if (!state) this.senders[sender] = state = { account: event.sender, oneWay: 0, evidence: new EvidenceRing() };
    if (isOneWay && !wasOneWay) state.oneWay++;
    state.evidence.push(event);
  }

  private side(account: number): Map<number, Pair> {
    let side = this.pairs[account];
    if (!side) this.pairs[account] = side = new Map();
    return side;
  }

  report(limit = MAX_FLAGGED): DetectorReport {
    const flagged = [];
    for (const s of this.senders) {
      if (!s || s.oneWay < 1) continue;
      flagged.push({
        account: s.account,
        score: Math.min(1, s.oneWay / this.fullScoreConversations),
        summary: `${s.oneWay} conversations with at least ${this.minSent} envelopes sent and at most ${this.maxReplyRatio * 100}% answered`,
        evidence: s.evidence.toArray(),
      });
    }
    return {
      id: this.id,
      title: 'One-way conversations',
      pattern: 'An account sends many envelopes to another that sends (almost) none back.',
      parameters: [
        { name: 'minSent', value: this.minSent, reason: 'Below twenty, a few unanswered messages are just a slow friend.' },
        { name: 'maxReplyRatio', value: this.maxReplyRatio, reason: 'An ordinary chat is close to even, however unequal the talkers.' },
        { name: 'fullScoreConversations', value: this.fullScoreConversations, reason: 'One one-way conversation can be a bad day; several is a habit.' },
      ],
      whatCannotBeKnown:
        'What was said, and whether the silence is unwelcome: a reply by phone or in person is invisible. ' +
        SEALED_SENDER_NOTE +
        ' A sealed reply cannot be counted as a reply, so sealed sender can make a two-way conversation look one-way.' +
        (this.untracked > 0 ? ` ${this.untracked} envelopes fell outside the ${MAX_TRACKED_CONVERSATIONS} conversations tracked.` : ''),
      receiptsNote: 'Receipts marked as such are left out: an unanswered conversation stays one-way when the recipient\'s app sends receipts back. ' + SEALED_RECEIPT_NOTE,
      observed: this.observed,
      unattributable: this.unattributable,
      flaggedTotal: flagged.length,
      flagged: topFlagged(flagged, limit),
    };
  }
}
