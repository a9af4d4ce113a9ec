/**
 * Verifiable user reports: the server files a report only when both MACs check
 * out (shared/crypto/franking.ts):
 *   - its own stamp, recomputed for (commitment, message id, sender, the
 *     signed-in reporter as recipient, time): so the message really was relayed
 *     by this server, from that sender, to this reporter, at that time;
 *   - the sender's commitment, opened by the revealed franking key and text: so
 *     the text is what the sender wrote.
 * Any other report is refused with the reason, and nothing is stored.
 *
 * Sealed sender: the server never knew the sender, so its stamp records none.
 * Such a report proves the text and that it reached the reporter at that time;
 * the sender is only the reporter's word, and the report says so.
 */
import { verifyCommitment } from '@envelope/crypto-public';
import type { ReportRequest } from '@envelope/protocol';
import { ServerError } from '../errors.js';
import type { AccountsRepo } from '../storage/accounts-repo.js';
import type { ReportRecord, ReportsRepo } from '../storage/reports-repo.js';
import type { AuthenticatedDevice } from './auth.js';
import type { FrankingStamper } from './franking-stamps.js';

export interface FiledReport {
  readonly record: ReportRecord;
  readonly duplicate: boolean;
}

/** A report as the queue and the warrant answer show it (QueuedReportSchema's input). */
export function queuedReport(r: ReportRecord) {
  const { logSeq, ...fields } = r;
  return { ...fields, seq: logSeq };
}

export type ReportListener = (report: ReportRecord) => void;

export class ReportService {
  readonly #listeners = new Set<ReportListener>();

  constructor(
    private readonly reports: ReportsRepo,
    private readonly accounts: AccountsRepo,
    private readonly stamper: FrankingStamper,
    private readonly log: (line: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  file(reporter: AuthenticatedDevice, request: ReportRequest): FiledReport {
    const context = {
      commitment: request.commitment,
      messageId: request.messageId,
      sender: request.sealedSender ? '' : request.sender,
      recipient: reporter.username,
      timestamp: request.sentAt,
    };
    if (!this.stamper.verify(context, request.stamp)) {
      throw new ServerError(
        'REPORT_REJECTED',
        request.sealedSender
          ? 'the stamp is not this server\'s for a sealed message with that id, to you, at that time'
          : 'the stamp is not this server\'s for that message, sender and time sent to you: the details were altered or the stamp forged',
      );
    }
    if (!verifyCommitment(new TextEncoder().encode(request.text), request.frankingKey, request.commitment)) {
      throw new ServerError('REPORT_REJECTED', 'the reported text is not what the sender committed to: it was altered');
    }
    if (!this.accounts.account(request.sender)) throw new ServerError('REPORT_REJECTED', `there is no account named "${request.sender}"`);
    const { record, filed } = this.reports.file({
      messageId: request.messageId,
      sender: request.sender,
      senderVerified: !request.sealedSender,
      reporter: reporter.username,
      reason: request.reason,
      sentAt: request.sentAt,
      reportedAt: this.now(),
      text: request.text,
    });
    if (filed) this.#tell(record);
    return { record, duplicate: !filed };
  }

  /** Called with every newly filed report (the "many user reports" signal). */
  onFiled(listener: ReportListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #tell(record: ReportRecord): void {
    for (const listener of this.#listeners) {
      try {
        listener(record);
      } catch (error) {
        this.log(`reports: a listener failed: ${(error as Error).message}`);
      }
    }
  }
}
