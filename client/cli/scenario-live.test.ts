/**
 * The live run (issue 16): a small population sent end to end through a real server with real
 * clients (real sessions, sealed sender, receipts, franked reports) flags the same accounts, on the
 * same days, with the same scored figures, as the fast path for the same seed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenarioCli } from './scenario.js';
import { compareLiveRun } from './scenario-live-check.js';
import { runLiveScenario, type LiveProgress, type LiveRun } from './scenario-live.js';

/**
 * Small enough to run in seconds (871 envelopes), and chosen so that every detector flags someone
 * (two spam bots, a small ring signing up on day 0, reports filed at once): an equality of empty
 * lists would prove nothing. Half the accounts use sealed sender, so the sealing rule is exercised.
 */
const SMALL = {
  users: 100,
  days: 1,
  seed: 36,
  sealedSenderShare: 0.5,
  spamBotShare: 0.02,
  sextortionAccountShare: 0.05,
  sextortionAccountsPerOperator: 5,
  spamReportProbability: 0.3,
  reportDelayMaxDays: 0,
  sessionsPerUserPerDay: 1,
  messagesPerSession: 4,
};

let run: LiveRun;
const progress: LiveProgress[] = [];
beforeAll(async () => {
  run = await runLiveScenario(SMALL, { onProgress: (p) => progress.push(p) });
});

describe('the live run', () => {
  it('matches the fast path: the same accounts flagged by each detector on the same day, the same figures', () => {
    const check = compareLiveRun(run);
    // Not vacuous: every detector flagged someone, some envelopes went sealed and some not, reports were filed.
    for (const d of check.detectors) expect(d.live.length, d.id).toBeGreaterThan(0);
    expect(check.envelopes.sealedLive).toBeGreaterThan(0);
    expect(check.envelopes.sealedLive).toBeLessThan(check.envelopes.generated);
    expect(run.reportsFiled).toBeGreaterThan(0);
    expect(check.reports.live.length).toBeGreaterThan(0);

    expect(check.envelopes).toMatchObject({ sent: check.envelopes.generated, sealedDifferCount: 0, timeDifferCount: 0, equal: true });
    for (const d of check.detectors) expect({ id: d.id, live: d.live, sameDays: d.sameDays }).toEqual({ id: d.id, live: d.fastPath, sameDays: true });
    expect(check.reports.live).toEqual(check.reports.fastPath);
    expect(check.methods.map((m) => [m.id, m.equal])).toEqual([
      ['metadata-signals', true],
      ['user-reports', true],
    ]);
    expect(check.resultIdentical).toBe(true);
    expect(check.equal).toBe(true);
    // It said how far it was: every account signed up and every envelope sent, by the end.
    expect(progress.at(-1)).toMatchObject({ sent: check.envelopes.generated, day: 1, days: 1 });
    expect(progress.at(-1)!.signedUp).toBe(progress.at(-1)!.accounts);
  });

  it('says where the two differ: an account one detector missed, an envelope sealed differently', () => {
    const detector = [...run.liveDetections.detectors].find(([, d]) => d.first.size > 0)!;
    const [id, { title, first }] = detector;
    const missing = [...first.keys()][0]!;
    const fewer = new Map(run.liveDetections.detectors);
    fewer.set(id, { title, first: new Map([...first].filter(([account]) => account !== missing)) });
    const check = compareLiveRun({ ...run, liveDetections: { ...run.liveDetections, detectors: fewer } });
    expect(check.equal).toBe(false);
    expect(check.detectors.filter((d) => !d.equal).map((d) => d.id)).toEqual([id]);

    const resealed = compareLiveRun({ ...run, envelopes: { ...run.envelopes, sealedDifferCount: 1 } });
    expect(resealed.envelopes.equal).toBe(false);
    expect(resealed.equal).toBe(false);
  });

  it('refuses a population too big to run live, saying the limit and why', async () => {
    const out = await mkdtemp(join(tmpdir(), 'scenario-live-'));
    const lines: string[] = [];
    const io = { stderr: { write: (t: string) => lines.push(t) }, memory: () => 1e8, now: () => 0 };
    try {
      expect(await runScenarioCli(['--live', '--users', '201', '--out', out], io)).toBe(2);
      expect(lines.join('')).toMatch(/--live runs at most 200 users, not 201: the operator's signals list at most 200 accounts per detector/);
      lines.length = 0;
      expect(await runScenarioCli(['--live', '--days', '8', '--users', '100', '--out', out], io)).toBe(2);
      expect(lines.join('')).toMatch(/--live runs at most 7 days, not 8/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
