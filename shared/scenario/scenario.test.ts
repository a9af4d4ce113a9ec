import { describe, expect, it } from 'vitest';
import { createDetectors } from '@envelope/server/domain/signals/service.js';
import type { AccountInfo, Detector, EventAccounts, MetadataEvent } from '@envelope/server/domain/signals/detector.js';
import type { ReportRecord } from '@envelope/server/storage/reports-repo.js';
import { CONFOUNDER_KINDS, DETECTOR_TARGETS, runScenario, ScenarioError, SYNTHETIC_TEXT, type ComputedMethod, type ScenarioResult } from './index.js';

const SMALL = { users: 1500, days: 4 } as const;

function method(result: ScenarioResult, id: string): ComputedMethod {
  const m = result.methods.find((x) => x.id === id);
  if (!m || !m.computed) throw new Error(`no computed method ${id}`);
  return m;
}
const part = (result: ScenarioResult, methodId: string, partId: string) => {
  const found = method(result, methodId).parts.find((x) => x.id === partId);
  if (!found) throw new Error(`no part ${partId}`);
  return found.score;
};

describe('the scenario', () => {
  it('gives the same JSON for the same seed, and a different one for another seed', () => {
    const a = JSON.stringify(runScenario({ ...SMALL, seed: 7 }));
    const b = JSON.stringify(runScenario({ ...SMALL, seed: 7 }));
    const c = JSON.stringify(runScenario({ ...SMALL, seed: 8 }));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it('labels every parameter sourced (with its source and status) or assumed (with a reason)', () => {
    const { parameters } = runScenario({ users: 200, days: 1 });
    expect(Object.keys(parameters).length).toBeGreaterThan(30);
    for (const [name, info] of Object.entries(parameters)) {
      if (info.provenance === 'sourced') expect([name, info.source.length > 20, info.status]).toEqual([name, true, expect.any(String)]);
      else expect([name, info.reason.length > 10]).toEqual([name, true]);
    }
    expect(parameters.users).toMatchObject({ value: 200, isDefault: false });
  });

  it('raising the victims\' report probability raises the recall of user reports', () => {
    const low = runScenario({ users: 4000, days: 6, seed: 3, victimReportProbability: 0.1 });
    const high = runScenario({ users: 4000, days: 6, seed: 3, victimReportProbability: 0.9 });
    const recall = (r: ScenarioResult) => method(r, 'user-reports').score.perHarm.sextortion.recall!;
    expect(method(low, 'user-reports').score.perHarm.sextortion.actors).toBeGreaterThan(5);
    expect(recall(high)).toBeGreaterThan(recall(low));
    expect(high.traffic.reportsFiled).toBeGreaterThan(low.traffic.reportsFiled);
  });

  it('raising the sealed-sender share lowers the new-account-volume recall on the sextortion ring; first contacts stay visible', () => {
    const open = runScenario({ users: 4000, days: 6, seed: 5, sealedSenderShare: 0 });
    const sealed = runScenario({ users: 4000, days: 6, seed: 5, sealedSenderShare: 1 });
    expect(sealed.traffic.sealedEnvelopes).toBeGreaterThan(open.traffic.sealedEnvelopes);
    const volume = (r: ScenarioResult) => part(r, 'metadata-signals', 'new-account-volume').perHarm.sextortion.recall!;
    expect(volume(open)).toBeGreaterThan(0);
    expect(volume(sealed)).toBeLessThan(volume(open));
    // Envelope cannot seal a first message to someone who never wrote: the stranger detector still sees the openers.
    const strangers = (r: ScenarioResult) => part(r, 'metadata-signals', 'stranger-contacts').perHarm.sextortion.recall;
    expect(strangers(sealed)).toBe(strangers(open));
  });

  it('"contacts-only" discoverability cuts whom the ring and the bots reach, and hides groomers\' first contacts from the stranger detector', () => {
    const anyone = runScenario({ users: 3000, days: 4, seed: 2, discoverability: 'anyone' });
    const known = runScenario({ users: 3000, days: 4, seed: 2, discoverability: 'contacts-only' });
    // Fake accounts and bots reach only the harvested numbers (a tenth of accounts by default).
    expect(known.traffic.accountsContactedByHarm.sextortion).toBeLessThan(anyone.traffic.accountsContactedByHarm.sextortion);
    expect(known.traffic.accountsContactedByHarm.spam).toBeLessThan(anyone.traffic.accountsContactedByHarm.spam);
    // A groomer with friends still reaches their children: friends of friends, who share a contact with him.
    expect(part(known, 'metadata-signals', 'stranger-contacts').perHarm.grooming.detected).toBe(0);
  });

  it('each detector\'s recall on its target archetype exceeds its false-positive rate on confounders, at the defaults', () => {
    // Three seeds pooled: a run of a few thousand accounts holds one ring and a few groomers, whose
    // timing alone (a ring starting on the last day) can decide one seed's figure.
    const runs = [1, 2, 3].map((seed) => runScenario({ users: 4000, days: 7, seed }));
    const partsOf = (r: ScenarioResult) => [...method(r, 'metadata-signals').parts, ...method(r, 'user-reports').parts.filter((x) => x.id === 'user-reports')];
    expect(partsOf(runs[0]!).map((x) => x.id).sort()).toEqual(Object.keys(DETECTOR_TARGETS).sort());
    const failures: string[] = [];
    for (const { id, targets } of partsOf(runs[0]!)) {
      const target = targets[0]!;
      const scores = runs.map((r) => partsOf(r).find((x) => x.id === id)!.score);
      const actors = scores.reduce((a, s) => a + s.perHarm[target].actors, 0);
      const recall = scores.reduce((a, s) => a + s.perHarm[target].detected, 0) / actors;
      const falsePositiveRate = scores.reduce((a, s) => a + s.confounderFalsePositiveRate!, 0) / scores.length;
      expect(actors).toBeGreaterThan(0);
      if (!(recall > falsePositiveRate)) failures.push(`${id} on ${target}: recall ${recall.toFixed(3)}, confounders ${falsePositiveRate.toFixed(3)}`);
    }
    expect(failures).toEqual([]);
  });

  it('the detectors receive metadata-log rows and account records only, never a label', () => {
    const eventKeys = new Set<string>();
    const accountKeys = new Set<string>();
    const reportKeys = new Set<string>();
    const names = new Set<string>();
    const texts = new Set<string>();
    const spy: Detector = {
      id: 'spy',
      observe(event: MetadataEvent, accounts: EventAccounts) {
        Object.keys(event).forEach((k) => eventKeys.add(k));
        for (const info of [accounts.sender, accounts.recipient] as (AccountInfo | undefined)[]) if (info) Object.keys(info).forEach((k) => accountKeys.add(k));
        names.add(event.recipient);
      },
      observeReport(report: ReportRecord) {
        Object.keys(report).forEach((k) => reportKeys.add(k));
        texts.add(report.text);
      },
      report: () => ({ id: 'spy', title: 'spy', pattern: '', parameters: [], whatCannotBeKnown: '', receiptsNote: '', observed: 0, unattributable: 0, flaggedTotal: 0, flagged: [] }),
    };
    runScenario({ users: 1500, days: 3, seed: 4 }, { makeDetectors: () => [...createDetectors(), spy] });
    expect([...eventKeys].sort()).toEqual(['kind', 'messageId', 'receipt', 'recipient', 'recipientDevice', 'sender', 'senderDevice', 'sentAt', 'seq', 'size']);
    expect([...accountKeys].sort()).toEqual(['ageBand', 'createdAt']);
    expect([...reportKeys].sort()).toEqual(['id', 'logSeq', 'messageId', 'reason', 'reportedAt', 'reporter', 'sender', 'senderVerified', 'sentAt', 'text']);
    expect([...texts]).toEqual([SYNTHETIC_TEXT]);
    // Account names are opaque numbers: nothing in them says who is who.
    expect([...names].every((n) => /^u\d{7}$/.test(n))).toBe(true);
    expect(CONFOUNDER_KINDS.length).toBe(4);
  });

  it('refuses a bad parameter with a typed error that names it', () => {
    expect(() => runScenario({ users: 10 })).toThrow(ScenarioError);
    expect(() => runScenario({ minorShare: 1.5 })).toThrow(/minorShare/);
    expect(() => runScenario({ discoverability: 'everyone' as never })).toThrow(/discoverability/);
  });
});
