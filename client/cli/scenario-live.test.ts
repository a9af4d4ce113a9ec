/**
 * The live run (issue 16): a small population sent end to end through a real server with real
 * clients (real sessions, sealed sender, receipts, franked reports) flags the same accounts, on the
 * same days, with the same scored figures, as the fast path for the same seed.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarioCli } from './scenario.js';
import { compareLiveRun, type LiveCheck } from './scenario-live-check.js';
import { runLiveScenarioCli } from './scenario-live-cli.js';
import type { LiveRun } from './scenario-live.js';

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

const ARGS = Object.entries(SMALL).flatMap(([name, value]) => ['--set', `${name}=${value}`]);

let run: LiveRun;
let out: string;
let exitCode: number;
const stderr: string[] = [];
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'scenario-live-'));
  const io = { stderr: { write: (t: string) => stderr.push(t) }, memory: () => 1e8, now: () => performance.now() };
  exitCode = await runLiveScenarioCli([...ARGS, '--out', out], io, (made) => (run = made));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('the live run', () => {
  it('matches the fast path: the same accounts flagged by each detector on the same day, the same figures', async () => {
    expect(exitCode).toBe(0);
    const check = JSON.parse(await readFile(join(out, 'live-check.json'), 'utf8')) as LiveCheck;
    expect(check).toEqual(JSON.parse(JSON.stringify(compareLiveRun(run))));
    expect(await readFile(join(out, 'result.json'), 'utf8')).toBe(JSON.stringify(run.live, null, 2) + '\n');
    // Not vacuous: every detector flagged someone, some envelopes went sealed and some not, reports were filed.
    for (const d of check.detectors) expect(d.live.length, d.id).toBeGreaterThan(0);
    expect(check.envelopes.sealedLive).toBeGreaterThan(0);
    expect(check.envelopes.sealedLive).toBeLessThan(check.envelopes.generated);
    expect(run.reportsFiled).toBeGreaterThan(0);
    expect(check.reports.live.length).toBeGreaterThan(0);

    expect(check.envelopes).toMatchObject({ sent: check.envelopes.generated, sealedDifferCount: 0, timeDifferCount: 0, equal: true });
    expect(check.envelopes.receiptsConfirmed).toBe(check.envelopes.sent);
    expect(check.accounts).toEqual({ signedUp: check.accounts.onServer, onServer: check.accounts.signedUp, createdAtDiffer: [], ageBandDiffer: [], equal: true });
    for (const d of check.detectors) expect({ id: d.id, live: d.live, sameDays: d.sameDays }).toEqual({ id: d.id, live: d.fastPath, sameDays: true });
    expect(check.reports.live).toEqual(check.reports.fastPath);
    expect(check.methods.map((m) => [m.id, m.equal])).toEqual([
      ['metadata-signals', true],
      ['user-reports', true],
    ]);
    expect(check.resultIdentical).toBe(true);
    expect(check.equal).toBe(true);
    // It said how far it was (the last line: every account signed up, every envelope sent), then what it found.
    const lines = stderr.join('').split('\n');
    const last = lines.filter((l) => l.includes('accounts signed up')).at(-1)!;
    expect(last).toMatch(new RegExp(`(\\d+) of \\1 accounts signed up, ${check.envelopes.generated} of ${check.envelopes.generated} envelopes sent, day 1 of 1`));
    for (const d of check.detectors) expect(lines).toContain(`  equal   ${d.id}: fast path flagged ${d.fastPath.length}, live ${d.live.length}`);
    expect(lines.at(-2)).toMatch(/the live run equals the fast path/);
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
