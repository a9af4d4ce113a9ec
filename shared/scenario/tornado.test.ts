import { describe, expect, it } from 'vitest';
import { assembleTornado, computeTornado, runScenario, TORNADO_CANDIDATES, TORNADO_KEEP, tornadoPlan, type ComputedMethod, type ScenarioResult } from './index.js';

const method = (r: ScenarioResult, id: string): ComputedMethod => r.methods.find((m): m is ComputedMethod => m.computed && m.id === id)!;

describe('reviewer workload and UK scaling', () => {
  it('counts what each method sends a reviewer per 10,000 users a day, and scales only the UK figures with ukUsers', () => {
    const small = { users: 1000, days: 4, seed: 2 };
    const a = runScenario(small);
    const b = runScenario({ ...small, ukUsers: 1_000_000 });
    for (const w of a.reviewerWorkload) {
      const flagged = w.method === 'combined' ? a.combinedE2eeMethods.flagged : method(a, w.method).score.flagged;
      expect(w.accounts, w.method).toBe(flagged);
      expect(w.accountsPer10kUsersPerDay).toBeCloseTo((flagged * 10) / 4, 3);
    }
    expect(a.reviewerWorkload.find((w) => w.method === 'user-reports')!.messages).toBe(a.traffic.reportsFiled);
    const full = (r: ScenarioResult) => r.ukScaled.rows.find((x) => x.method === 'content-classifier')!;
    expect(full(a).falsePositives).toBe(Math.round(method(a, 'content-classifier').score.falsePositives * 47_900));
    expect(full(b).falsePositives).toBe(method(b, 'content-classifier').score.falsePositives * 1000);
    // Only the scaled figures (and the parameter itself) change.
    const strip = (r: ScenarioResult) => JSON.stringify({ ...r, ukScaled: null, parameters: { ...r.parameters, ukUsers: null } });
    expect(strip(b)).toBe(strip(a));
    expect(a.parameters.ukUsers).toMatchObject({ value: 47_900_000, provenance: 'sourced' });
  });
});

describe('the tornado', () => {
  it('plans a base run, a noise run and a low and a high run per candidate, all at the smaller size and the main seed', () => {
    const plan = tornadoPlan({ users: 10_000, days: 30, seed: 9, victimReportProbability: 0.4 }, { users: 2000, days: 14 });
    expect(plan.length).toBe(2 + 2 * TORNADO_CANDIDATES.length);
    expect(plan[0]).toEqual({ key: 'base', overrides: { users: 2000, days: 14, seed: 9, victimReportProbability: 0.4 } });
    expect(plan[1]!.overrides.seed).toBe(10);
    expect(plan.find((r) => r.key === 'evasionShare:high')!.overrides).toMatchObject({ evasionShare: 0.75, users: 2000, seed: 9 });
    // Never larger than the main run.
    expect(tornadoPlan({ users: 300, days: 2 })[0]!.overrides).toMatchObject({ users: 300, days: 2 });
  });

  it('keeps the five largest swings, largest first, ties in the candidates\' order', () => {
    const plan = tornadoPlan({}, {});
    const swingOf: Record<string, number> = { drugSellerShare: 0.3, evasionShare: 0.1, blockProbability: 0.1, sextortionAccountShare: 0.2 };
    const figures = plan.map((r) => {
      const [name, end] = r.key.split(':');
      return end === 'high' ? 0.5 + (swingOf[name!] ?? 0) : 0.5;
    });
    const t = assembleTornado({}, plan, figures);
    expect(t.bars.map((b) => b.parameter)).toEqual(['drugSellerShare', 'sextortionAccountShare', 'blockProbability', 'evasionShare', 'sextortionReplyProbability']);
    expect(t.bars.length).toBe(TORNADO_KEEP);
    expect(t.others.length).toBe(TORNADO_CANDIDATES.length - TORNADO_KEEP);
    expect(t.bars[0]).toMatchObject({ swing: 0.3, figureAtLow: 0.5, figureAtHigh: 0.8, range: 'assumed' });
    expect(t.noiseFloor.difference).toBe(0);
  });

  it('on a real run, the population of offenders the three methods miss most moves the headline, and the swing is measured at the stated size', () => {
    const main = { users: 1500, days: 5, seed: 1 };
    // Three candidates, not all twelve, to keep the test short: one the figure should follow, two it should not.
    const candidates = TORNADO_CANDIDATES.filter((c) => ['drugSellerShare', 'sealedSenderShare', 'newMaterialTraderShare'].includes(c.parameter));
    const t = computeTornado(main, { users: 1500, days: 5, candidates }, (o) => runScenario(o));
    expect([t.users, t.days, t.seed, t.runs]).toEqual([1500, 5, 1, 2 + 2 * candidates.length]);
    expect(t.base).toBe(runScenario(main).headline.rows.find((r) => r.method === 'combined')!.shareOfContentAccessReferrals);
    const all = [...t.bars, ...t.others];
    // Drug sellers are the harm signals, reports and scanning find least: more of them lowers the share.
    const drugs = all.find((b) => b.parameter === 'drugSellerShare')!;
    expect(drugs.figureAtHigh!).toBeLessThan(drugs.figureAtLow!);
    expect(t.bars[0]!.parameter).toBe('drugSellerShare');
    // Sealed sender hides later messages, never a first contact: the detectors that find these offenders keep seeing them.
    expect(all.find((b) => b.parameter === 'sealedSenderShare')!.swing).toBeLessThan(drugs.swing);
  });
});
