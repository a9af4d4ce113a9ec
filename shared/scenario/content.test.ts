import { describe, expect, it } from 'vitest';
import type { Detector } from '@envelope/server/domain/signals/detector.js';
import { accountName, runScenario, type ComputedMethod, type RunFacts, type ScenarioParameters, type ScenarioResult } from './index.js';

function method(result: ScenarioResult, id: string): ComputedMethod {
  const m = result.methods.find((x) => x.id === id);
  if (!m || !m.computed) throw new Error(`no computed method ${id}`);
  return m;
}

/** Enough traders for their recall to mean something: a circle of about five per 250 adults. */
const TRADERS: Partial<ScenarioParameters> = { users: 2000, days: 4, seed: 11, traderShareOfAdults: 0.02, matchThreshold: 5 };
/** No user files a report: methods 1-2 flag only through the detectors a test passes. */
const NO_REPORTS: Partial<ScenarioParameters> = {
  victimReportProbability: 0,
  adultTargetReportProbability: 0,
  spamReportProbability: 0,
  buyerReportProbability: 0,
  viralReportProbability: 0,
  falseReportsPerUserPerMonth: 0,
};

/** A detector that flags a fixed list of accounts from the first day: a stand-in for methods 1-2. */
function fixedSuspects(names: readonly string[]): Detector {
  return {
    id: 'fixed',
    observe() {},
    report: () => ({
      id: 'fixed',
      title: 'fixed list',
      pattern: '',
      parameters: [],
      whatCannotBeKnown: '',
      receiptsNote: '',
      observed: 0,
      unattributable: 0,
      flaggedTotal: names.length,
      flagged: names.map((account) => ({ account, score: 1, summary: '', evidence: [] })),
    }),
  };
}

describe('the content methods (client-side scanning, full content access, targeted access)', () => {
  it('the tampering switch makes scanning report the tampered content (political images) and flag the innocent people who sent them', () => {
    const base = { users: 1500, days: 4, seed: 6, matchThreshold: 2, politicalImageShare: 0.5 };
    const clean = runScenario({ ...base, listTamperedShare: 0 });
    const tampered = runScenario({ ...base, listTamperedShare: 0.2 });
    expect(clean.content.imagesByKind.political).toBeGreaterThan(100);
    expect(clean.content.scanning.revealedByContent.political).toBe(0);
    expect(tampered.content.scanning.revealedByContent.political).toBeGreaterThan(50);
    const scanning = (r: ScenarioResult) => method(r, 'client-side-scanning');
    expect(scanning(tampered).score.falsePositivesByKind.ordinary).toBeGreaterThan(scanning(clean).score.falsePositivesByKind.ordinary);
    expect(scanning(tampered).privacy.innocentMessagesReadable).toBeGreaterThanOrEqual(tampered.content.scanning.revealedByContent.political);
  });

  it('raising the evasion share lowers scanning\'s recall on traders of known material', () => {
    const recall = (evasionShare: number) => {
      const r = runScenario({ ...TRADERS, newMaterialTraderShare: 0, evasionShare });
      const harm = method(r, 'client-side-scanning').score.perHarm['known-material'];
      expect(harm.actors).toBeGreaterThan(15);
      return harm.recall!;
    };
    const none = recall(0);
    const half = recall(0.5);
    const all = recall(1);
    expect(none).toBeGreaterThan(0.7);
    expect(half).toBeLessThan(none);
    expect(all).toBeLessThan(half);
    expect(all).toBeLessThan(0.1);
  });

  it('a rogue client (a modified app that skips the scanning code) hides its user from scanning and from nothing else', () => {
    const run = (rogueClientShare: number) => runScenario({ ...TRADERS, newMaterialTraderShare: 0, evasionShare: 0, rogueClientShare });
    const honest = run(0);
    const half = run(0.5);
    const all = run(1);
    const knownRecall = (r: ScenarioResult) => method(r, 'client-side-scanning').score.perHarm['known-material'];
    expect(knownRecall(honest).actors).toBeGreaterThan(15);
    expect(knownRecall(honest).recall!).toBeGreaterThan(0.7);
    expect(knownRecall(half).recall!).toBeLessThan(knownRecall(honest).recall!);
    expect(knownRecall(all).recall!).toBe(0);
    // Its own random stream: the traffic, the classifier and the reports are the same draws either way.
    expect(all.traffic).toEqual(honest.traffic);
    expect(method(all, 'content-classifier').score).toEqual(method(honest, 'content-classifier').score);
    expect(method(all, 'user-reports').score).toEqual(method(honest, 'user-reports').score);
    // Innocent people's apps still scan: the viral sharers of a known image are still matched.
    expect(method(all, 'client-side-scanning').score.falsePositivesByKind['viral-sharer']).toBe(method(honest, 'client-side-scanning').score.falsePositivesByKind['viral-sharer']);
  });

  it('lists each method\'s blind spots beside its recall: scanning misses every harm carried in text', () => {
    const r = runScenario({ users: 2000, days: 7, seed: 3 });
    const textHarms = (['grooming', 'sextortion', 'spam', 'drugs'] as const).filter((h) => r.population.activeActors[h] > 0);
    expect(textHarms.length).toBeGreaterThan(1);
    expect(method(r, 'client-side-scanning').blindSpots.mostlyMissed).toEqual(expect.arrayContaining([...textHarms]));
    for (const m of r.methods) {
      if (!m.computed) continue;
      const missed = Object.entries(m.score.perHarm).filter(([, s]) => s.actors > 0 && (s.recall ?? 0) < 0.5).map(([h]) => h);
      expect(m.blindSpots.mostlyMissed).toEqual(missed);
      expect(m.blindSpots.cannotSee.length).toBeGreaterThan(20);
    }
  });

  it('scanning\'s recall on traders of new material stays near zero (nothing new is on a list), while a classifier finds them', () => {
    const r = runScenario({ ...TRADERS, newMaterialTraderShare: 1, evasionShare: 0 });
    const scanning = method(r, 'client-side-scanning').score.perHarm['new-material'];
    expect(scanning.actors).toBeGreaterThan(15);
    expect(r.content.imagesByKind['abuse-new']).toBeGreaterThan(100);
    expect(scanning.recall!).toBeLessThan(0.05);
    expect(method(r, 'content-classifier').score.perHarm['new-material'].recall!).toBeGreaterThan(0.7);
  });

  it('targeted access reads only accounts methods 1-2 flagged, after they did, and its privacy cost is below full access\'s', () => {
    const suspects = Array.from({ length: 40 }, (_, k) => accountName(k * 7));
    let facts: RunFacts | undefined;
    const targeted = runScenario({ users: 1500, days: 4, seed: 4, ...NO_REPORTS }, { makeDetectors: () => [fixedSuspects(suspects)], onFacts: (f) => (facts = f) });
    const flagged = [...facts!.content.targeted.flagged];
    expect(flagged.length).toBeGreaterThan(0);
    // The fixed detector is first read at the end of day 0: nothing before then, nobody else.
    const firstReading = facts!.detections.detectors.get('fixed')!.first;
    for (const [id, at] of flagged) {
      expect(suspects).toContain(accountName(id));
      expect(at).toBeGreaterThan(firstReading.get(id)!);
    }
    const cost = method(targeted, 'targeted-access').privacy.innocentMessagesReadable;
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeLessThan(method(targeted, 'content-classifier').privacy.innocentMessagesReadable / 5);
    expect(targeted.content.targetedAccess.accountsRead).toBeLessThanOrEqual(suspects.length);
    expect(targeted.content.targetedAccess.correspondentsRead).toBeGreaterThan(suspects.length); // and those who write to them

    // With no suspicion at all, targeted access reads nothing and finds nothing; full access still finds.
    const none = runScenario({ users: 1500, days: 4, seed: 4, ...NO_REPORTS }, { makeDetectors: () => [] });
    expect(method(none, 'targeted-access').privacy.innocentMessagesReadable).toBe(0);
    expect(method(none, 'targeted-access').score.flagged).toBe(0);
    expect(method(none, 'content-classifier').score.truePositives).toBeGreaterThan(0);
  });

  it('full access\'s false positives scale with the classifier\'s stated false-positive rate', () => {
    // Confounders that a classifier flags for what they really send (nudes, a known image) are switched off: what is left is the stated rate.
    const base = { users: 2000, days: 4, seed: 9, teenSextingShare: 0, childPhotoFlagProbability: 0, viralKnownImageShare: 0 };
    const at = (fpr: number) =>
      method(
        runScenario({ ...base, groomingClassifierFpr: fpr, sextortionClassifierFpr: fpr, spamClassifierFpr: fpr, drugsClassifierFpr: fpr, imageClassifierFpr: fpr }),
        'content-classifier',
      ).score.falsePositives;
    const none = at(0);
    const low = at(0.001);
    const high = at(0.004);
    expect(none).toBe(0);
    expect(low).toBeGreaterThan(20);
    // Four times the rate: close to four times the innocent accounts flagged (a little less, as some would be flagged twice).
    expect(high / low).toBeGreaterThan(3);
    expect(high / low).toBeLessThan(4.5);
  });

  it('computes the headline: each E2EE method\'s share of content access\'s referrals of offenders, beside the quoted estimates', () => {
    const r = runScenario({ users: 3000, days: 5, seed: 2 });
    const h = r.headline;
    expect(h.contentAccessOffendersReferred).toBe(method(r, 'content-classifier').score.truePositives);
    expect(h.rows.map((x) => x.method)).toEqual(['metadata-signals', 'user-reports', 'client-side-scanning', 'combined']);
    const share = (id: string) => h.rows.find((x) => x.method === id)!.shareOfContentAccessReferrals!;
    for (const row of h.rows) expect(row.shareLost).toBeCloseTo(1 - row.shareOfContentAccessReferrals!, 4);
    // The combination finds at least what each of its parts finds.
    for (const id of ['metadata-signals', 'user-reports', 'client-side-scanning']) expect(share('combined')).toBeGreaterThanOrEqual(share(id));
    expect(h.quotedEstimates.map((e) => [e.kind, e.shareLost.slice(0, 3)])).toEqual([
      ['estimate', '85-'],
      ['estimate', '70%'],
    ]);
    expect(r.methods.every((m) => m.computed)).toBe(true);
  });
});
