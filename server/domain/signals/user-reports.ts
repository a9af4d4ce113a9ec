/**
 * Many user reports: an account whose messages several different people
 * reported. Unlike the other detectors its input is not metadata but verified
 * reports (domain/reports.ts): the one place content reaches the server, and
 * only because a recipient chose to show it. It sees no envelopes.
 *
 * Distinct reporters, not reports: one person reporting twenty messages is one
 * complaint (and one person's grudge cannot push an account over the line).
 */
import type { ReportRecord } from '../../storage/reports-repo.js';
import { EvidenceRing, MAX_FLAGGED, thresholdScore, topFlagged, type Detector, type DetectorReport } from './detector.js';

/** Three different people: one report can be a misunderstanding or a feud; three who do not coordinate rarely are. */
export const MIN_DISTINCT_REPORTERS = 3;

interface ReportedState {
  readonly account: string;
  readonly reporters: Set<string>;
  reports: number;
  readonly evidence: EvidenceRing;
}

export class UserReportsDetector implements Detector {
  readonly id = 'user-reports';
  private readonly accounts = new Map<string, ReportedState>();
  private observed = 0;
  private unattributable = 0;

  constructor(private readonly minReporters = MIN_DISTINCT_REPORTERS) {}

  /** Envelopes say nothing to this detector. */
  observe(): void {}

  observeReport(report: ReportRecord): void {
    this.observed++;
    // A sealed-sender report proves the text, not who sent it: counting it would let anyone frame anyone.
    if (!report.senderVerified) {
      this.unattributable++;
      return;
    }
    let state = this.accounts.get(report.sender);
    if (!state) this.accounts.set(report.sender, (state = { account: report.sender, reporters: new Set(), reports: 0, evidence: new EvidenceRing() }));
    state.reporters.add(report.reporter);
    state.reports++;
    if (report.logSeq !== null) state.evidence.push({ seq: report.logSeq, messageId: report.messageId });
  }

  report(limit = MAX_FLAGGED): DetectorReport {
    const flagged = [];
    for (const s of this.accounts.values()) {
      const score = thresholdScore(s.reporters.size, this.minReporters);
      if (score === 0) continue;
      flagged.push({
        account: s.account,
        score,
        summary: `${s.reporters.size} different people reported ${s.reports} of this account's messages`,
        evidence: s.evidence.toArray(),
      });
    }
    return {
      id: this.id,
      unit: 'report',
      title: 'Many user reports',
      pattern: 'Several different people reported messages this account sent to them. Each report was checked: the text is what the sender wrote, and the server relayed it.',
      parameters: [
        {
          name: 'minDistinctReporters',
          value: this.minReporters,
          reason: 'One report can be a misunderstanding or a feud; several people who do not know each other rarely are.',
        },
      ],
      whatCannotBeKnown:
        'Anything nobody reported: the server reads only what a recipient chose to show it, so abuse whose targets do not report it (a child who is groomed, say) never reaches this list. ' +
        'Reports of sealed-sender messages prove the text but not who sent it; they are counted as unattributable and raise nobody\'s score.',
      receiptsNote: 'Reads user reports, not envelopes: receipts play no part. A receipt cannot be reported (it has no text).',
      observed: this.observed,
      unattributable: this.unattributable,
      flaggedTotal: flagged.length,
      flagged: topFlagged(flagged, limit),
    };
  }
}
