/**
 * New accounts with high volume: an account sending a great many envelopes in
 * its first day. Throwaway accounts made for spam, scams or a harassment
 * campaign are used hard at once; a new person writes to a few friends.
 */
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

/** The first day: throwaway accounts are used at once, and a day covers one person's first evening of setting up. */
export const NEW_ACCOUNT_AGE_MS = 24 * HOUR_MS;
/** 200 envelopes in that day: a keen new user writes tens to a handful of friends; hundreds is a campaign. */
export const NEW_ACCOUNT_THRESHOLD = 200;

interface AccountState {
  readonly account: string;
  sent: number;
  readonly recipients: Set<number>;
  readonly evidence: EvidenceRing;
}

/** Distinct recipients counted per new account, at most (for the summary only): the threshold's worth. */
const MAX_RECIPIENTS_COUNTED = NEW_ACCOUNT_THRESHOLD;

export class NewAccountVolumeDetector implements Detector {
  readonly id = 'new-account-volume';
  private readonly accounts: (AccountState | undefined)[] = [];
  private observed = 0;
  private unattributable = 0;

  constructor(
    private readonly ageMs = NEW_ACCOUNT_AGE_MS,
    private readonly threshold = NEW_ACCOUNT_THRESHOLD,
  ) {}

  observe(event: MetadataEvent, accounts: EventAccounts): void {
    this.observed++;
    const { sender } = event;
    if (sender === null) {
      this.unattributable++;
      return;
    }
    const record = accounts.sender;
    if (!record || event.sentAt - record.createdAt >= this.ageMs) return;
    let state = this.accounts[accounts.senderId];
    if (!state) this.accounts[accounts.senderId] = state = { account: sender, sent: 0, recipients: new Set(), evidence: new EvidenceRing() };
    state.sent++;
    if (state.recipients.size < MAX_RECIPIENTS_COUNTED) state.recipients.add(accounts.recipientId);
    state.evidence.push(event);
  }

  report(limit = MAX_FLAGGED): DetectorReport {
    const flagged = [];
    for (const s of this.accounts) {
      if (!s || s.sent < this.threshold) continue;
      const recipients = s.recipients.size >= MAX_RECIPIENTS_COUNTED ? `${MAX_RECIPIENTS_COUNTED}+` : String(s.recipients.size);
      flagged.push({
        account: s.account,
        score: thresholdScore(s.sent, this.threshold),
        summary: `${s.sent} envelopes to ${recipients} recipients within ${this.ageMs / HOUR_MS} h of signing up`,
        evidence: s.evidence.toArray(),
      });
    }
    return {
      id: this.id,
      title: 'New accounts with high volume',
      pattern: 'An account sends a great many envelopes in its first day.',
      parameters: [
        { name: 'ageMs', value: this.ageMs, reason: 'Throwaway accounts are used at once; a day covers a new person\'s first evening of setting up.' },
        { name: 'threshold', value: this.threshold, reason: 'A keen new user writes tens of messages to a few friends; hundreds is a campaign.' },
      ],
      whatCannotBeKnown:
        'What was sent, and who is behind the account: a new phone or a reinstall looks like a new account only if the person signed up again. ' +
        SEALED_SENDER_NOTE,
      receiptsNote: 'Receipts marked as such are left out: a new account that receives a lot also sends a lot of receipts, which is not volume it wrote. ' + SEALED_RECEIPT_NOTE,
      observed: this.observed,
      unattributable: this.unattributable,
      flaggedTotal: flagged.length,
      flagged: topFlagged(flagged, limit),
    };
  }
}
