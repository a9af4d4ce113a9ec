import { describe, expect, it } from 'vitest';
import type { ReportRecord } from '../../storage/reports-repo.js';
import { MIN_DISTINCT_REPORTERS, UserReportsDetector } from './user-reports.js';

let next = 1;
function report(sender: string, reporter: string, fields: Partial<ReportRecord> = {}): ReportRecord {
  const id = next++;
  return {
    id,
    messageId: `message-${String(id).padStart(6, '0')}`,
    sender,
    senderVerified: true,
    reporter,
    reason: 'harassment',
    sentAt: 1_000 * id,
    reportedAt: 1_000 * id + 500,
    text: 'reported words',
    logSeq: 100 + id,
    ...fields,
  };
}

describe('many user reports', () => {
  it(`flags an account that ${MIN_DISTINCT_REPORTERS} different people reported, with the reported envelopes as evidence`, () => {
    const detector = new UserReportsDetector();
    const filed = ['ann', 'ben', 'cat'].map((reporter) => report('troll', reporter));
    filed.forEach((r) => detector.observeReport(r));
    const result = detector.report();
    expect(result.unit).toBe('report');
    expect(result.flagged).toEqual([
      {
        account: 'troll',
        score: 0.5,
        summary: "3 different people reported 3 of this account's messages",
        evidence: filed.map((r) => ({ seq: r.logSeq, messageId: r.messageId })),
      },
    ]);
  });

  it('stays quiet for one person reporting many messages, and for two people', () => {
    const detector = new UserReportsDetector();
    for (let i = 0; i < 20; i++) detector.observeReport(report('neighbour', 'grudge'));
    detector.observeReport(report('neighbour', 'friend'));
    expect(detector.report()).toMatchObject({ observed: 21, flaggedTotal: 0, flagged: [] });
  });

  it('counts sealed-sender reports as unattributable: they prove the text, not who sent it', () => {
    const detector = new UserReportsDetector();
    for (const reporter of ['ann', 'ben', 'cat', 'dan']) detector.observeReport(report('framed', reporter, { senderVerified: false }));
    expect(detector.report()).toMatchObject({ observed: 4, unattributable: 4, flaggedTotal: 0 });
  });
});
