/**
 * Contact across declared age bands: an account that declared itself adult
 * starts a conversation with one that declared a minor's band. Platforms that
 * ask for an age band at sign-up restrict exactly this (adults messaging minors
 * who never wrote to them).
 */
import { ContactBook } from './contacts.js';
import {
  EvidenceRing,
  MAX_FLAGGED,
  SEALED_RECEIPT_NOTE,
  SEALED_SENDER_NOTE,
  topFlagged,
  type AgeBand,
  type Detector,
  type DetectorReport,
  type EventAccounts,
  type MetadataEvent,
} from './detector.js';

const MINOR_BANDS: ReadonlySet<AgeBand> = new Set(['under-13', '13-15', '16-17']);

/** One minor: every adult-initiated contact with a declared minor is worth an analyst's look (a parent's is too, and is quickly cleared). */
export const AGE_BAND_THRESHOLD = 1;
/** Full score at three minors: a parent or teacher writes to one or two; an adult opening conversations with many is the pattern. */
export const AGE_BAND_FULL_SCORE_MINORS = 3;

interface AdultState {
  readonly account: string;
  readonly minors: Set<number>;
  envelopes: number;
  readonly evidence: EvidenceRing;
}

export class CrossAgeBandDetector implements Detector {
  readonly id = 'cross-age-band';
  /** Per adult, the minors it opened conversations with: their later envelopes are evidence too. */
  private readonly adults: (AdultState | undefined)[] = [];
  private observed = 0;
  private unattributable = 0;

  constructor(
    private readonly threshold = AGE_BAND_THRESHOLD,
    private readonly fullScoreMinors = AGE_BAND_FULL_SCORE_MINORS,
    /** Shared with the other detectors that ask about first contacts (createDetectors). */
    private readonly contacts = new ContactBook(),
  ) {}

  observe(event: MetadataEvent, accounts: EventAccounts): void {
    this.observed++;
    if (event.sender === null) {
      this.unattributable++;
      return;
    }
    const { senderId: sender, recipientId: recipient } = accounts;
    const meeting = this.contacts.meet(event.seq, sender, recipient);
    if (!meeting.first) {
      if (this.adults[sender]?.minors.has(recipient)) this.record(sender, recipient, event);
      return;
    }
    const firstTime = !meeting.saturated;
    const senderBand = accounts.sender?.ageBand;
    const recipientBand = accounts.recipient?.ageBand;
    if (!firstTime || senderBand !== 'adult' || !recipientBand || !MINOR_BANDS.has(recipientBand)) return;
    this.record(sender, recipient, event);
  }

  private record(adult: number, minor: number, event: MetadataEvent): void {
    let state = this.adults[adult];
    if (!state) this.adults[adult] = state = { account: event.sender!, minors: new Set(), envelopes: 0, evidence: new EvidenceRing() };
    state.minors.add(minor);
    state.envelopes++;
    state.evidence.push(event);
  }

  report(limit = MAX_FLAGGED): DetectorReport {
    const flagged = [];
    for (const s of this.adults) {
      if (!s || s.minors.size < this.threshold) continue;
      flagged.push({
        account: s.account,
        score: Math.min(1, s.minors.size / this.fullScoreMinors),
        summary: `declared adult; opened conversations with ${s.minors.size} accounts that declared a minor's age band (${s.envelopes} envelopes to them)`,
        evidence: s.evidence.toArray(),
      });
    }
    return {
      id: this.id,
      title: 'Contact across declared age bands',
      pattern: "An account that declared itself adult sends the first envelope of a conversation to an account that declared a minor's age band.",
      parameters: [
        { name: 'threshold', value: this.threshold, reason: 'Every adult-initiated contact with a declared minor is worth a look; a parent\'s is quickly cleared.' },
        { name: 'fullScoreMinors', value: this.fullScoreMinors, reason: 'A parent or teacher writes to one or two minors; an adult opening many conversations with minors is the pattern.' },
      ],
      whatCannotBeKnown:
        'What was said, and whether the bands are true: they are declared at sign-up and never verified, so an adult who declares a teen band is invisible here, and accounts that declared nothing are skipped. ' +
        SEALED_SENDER_NOTE,
      receiptsNote: 'Receipts marked as such are left out: a minor\'s app confirming an adult\'s message is not the minor opening a conversation. ' + SEALED_RECEIPT_NOTE,
      observed: this.observed,
      unattributable: this.unattributable,
      flaggedTotal: flagged.length,
      flagged: topFlagged(flagged, limit),
    };
  }
}
