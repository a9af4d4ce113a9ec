/**
 * Many first contacts with strangers in a short time: an account writing to
 * people it has never exchanged a message with and who share no contact with
 * it, many in an hour. How grooming and sextortion outreach and spam begin.
 */
import { ContactBook, TimeWindow } from './contacts.js';
import {
  EvidenceRing,
  MAX_FLAGGED,
  HOUR_MS,
  SEALED_RECEIPT_NOTE,
  SEALED_SENDER_NOTE,
  thresholdScore,
  topFlagged,
  type Detector,
  type DetectorReport,
  type EventAccounts,
  type MetadataEvent,
} from './detector.js';

/** An hour: outreach comes in sessions; a day would mix a week's normal new acquaintances into one count. */
export const STRANGER_WINDOW_MS = HOUR_MS;
/** Ten strangers in an hour: joining a new class or club brings a few first contacts, and those usually share contacts. */
export const STRANGER_THRESHOLD = 10;

interface SenderState {
  readonly account: string;
  readonly window: TimeWindow;
  peak: number;
  total: number;
  readonly evidence: EvidenceRing;
}

export class StrangerContactsDetector implements Detector {
  readonly id = 'stranger-contacts';
  private readonly senders: (SenderState | undefined)[] = [];
  private observed = 0;
  private unattributable = 0;

  constructor(
    private readonly windowMs = STRANGER_WINDOW_MS,
    private readonly threshold = STRANGER_THRESHOLD,
    /** Shared with the other detectors that ask about first contacts (createDetectors). */
    private readonly contacts = new ContactBook(),
  ) {}

  observe(event: MetadataEvent, { senderId: sender, recipientId: recipient }: EventAccounts): void {
    this.observed++;
    if (event.sender === null) {
      this.unattributable++;
      return;
    }
    const meeting = this.contacts.meet(event.seq, sender, recipient);
    if (!meeting.first || meeting.saturated) return;
    // Recording this envelope's contact did not change what the two share: a mutual contact is a third account.
    if (this.contacts.haveMutual(sender, recipient)) return;
    let state = this.senders[sender];
    if (!state) {
      this.senders[sender] = state = {
        account: event.sender,
        window: new TimeWindow(this.windowMs, 2 * this.threshold),
        peak: 0,
        total: 0,
        evidence: new EvidenceRing(),
      };
    }
    const inWindow = state.window.push(event.sentAt);
    state.total++;
    state.evidence.push(event);
    if (inWindow > state.peak) state.peak = inWindow;
  }

  report(limit = MAX_FLAGGED): DetectorReport {
    const flagged = [];
    for (const s of this.senders) {
      if (!s || s.peak < this.threshold) continue;
      flagged.push({
        account: s.account,
        score: thresholdScore(s.peak, this.threshold),
        summary: `${s.peak} first contacts with strangers within ${this.windowMs / 60_000} min (${s.total} in all)`,
        evidence: s.evidence.toArray(),
      });
    }
    return {
      id: this.id,
      title: 'Many first contacts with strangers',
      pattern:
        'An account writes first to many accounts it has never exchanged an envelope with and that share no contact with it, within a short time.',
      parameters: [
        { name: 'windowMs', value: this.windowMs, reason: 'An hour: outreach comes in sessions; a day would add up normal new acquaintances.' },
        { name: 'threshold', value: this.threshold, reason: 'Joining a class or club brings a few first contacts, and those usually share contacts.' },
      ],
      whatCannotBeKnown:
        'What was said: a first contact may be a classmate, a seller answering an advert or a lost friend. Contacts made outside this server (phone, school, other apps) are invisible, so people who know each other can look like strangers. ' +
        SEALED_SENDER_NOTE,
      receiptsNote: 'Receipts marked as such are left out: a receipt answers a message, so it is never a first contact. ' + SEALED_RECEIPT_NOTE,
      observed: this.observed,
      unattributable: this.unattributable,
      flaggedTotal: flagged.length,
      flagged: topFlagged(flagged, limit),
    };
  }
}
