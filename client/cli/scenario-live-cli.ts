/**
 * `npm run scenario -- --live --users N --days D --seed S --out DIR` (scenario-live.ts): the same
 * population through the real relay with real encryption, checked against the fast path. Progress on
 * stderr (accounts signed up, envelopes sent of the total); then DIR/result.json (the live run's
 * figures, scored as the fast path scores its own), DIR/live-check.json (the comparison,
 * scenario-live-check.ts) and DIR/run.json (time, peak memory).
 * Exit codes: 0 the live run equals the fast path, 3 it differs (live-check.json says where),
 * 2 bad arguments or a population too big to run live, 1 the output could not be written.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ScenarioError } from '@envelope/scenario';
import { parseScenarioArgs, SCENARIO_USAGE, UsageError, type ScenarioIo } from './scenario.js';
import { compareLiveRun } from './scenario-live-check.js';
import { checkLiveParameters, runLiveScenario, type LiveProgress, type LiveRun } from './scenario-live.js';

export const EXIT_LIVE_DIFFERS = 3;

/** `onRun`: sees the run before it is written (tests compare more than the files say). */
export async function runLiveScenarioCli(argv: readonly string[], io: ScenarioIo, onRun?: (run: LiveRun) => void): Promise<number> {
  let args;
  try {
    args = parseScenarioArgs(argv);
    checkLiveParameters(args.overrides);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof ScenarioError)) throw error;
    io.stderr.write(`scenario --live: ${error.message}\n${SCENARIO_USAGE}\n`);
    return 2;
  }
  const started = io.now();
  let peak = io.memory();
  const progress = (p: LiveProgress) => {
    peak = Math.max(peak, io.memory());
    const line = `scenario --live: ${p.signedUp} of ${p.accounts} accounts signed up, ${p.sent} of ${p.envelopes} envelopes sent, day ${p.day} of ${p.days}, ${((io.now() - started) / 1000).toFixed(1)} s`;
    io.stderr.write(io.stderr.isTTY ? `\r${line}` : `${line}\n`);
  };
  const run = await runLiveScenario(args.overrides, { onProgress: progress });
  if (io.stderr.isTTY) io.stderr.write('\n');
  onRun?.(run);
  const check = compareLiveRun(run);
  const seconds = Math.round(io.now() - started) / 1000;
  peak = Math.max(peak, io.memory());
  try {
    await mkdir(args.out, { recursive: true });
    await writeFile(join(args.out, 'result.json'), JSON.stringify(run.live, null, 2) + '\n');
    await writeFile(join(args.out, 'live-check.json'), JSON.stringify(check, null, 2) + '\n');
    await writeFile(join(args.out, 'run.json'), JSON.stringify({ live: true, seconds, peakResidentMemoryMB: Math.round(peak / 1e5) / 10, node: process.version }, null, 2) + '\n');
  } catch (error) {
    io.stderr.write(`scenario --live: could not write to ${args.out}: ${(error as Error).message}\n`);
    return 1;
  }
  const e = check.envelopes;
  io.stderr.write(`scenario --live: ${e.sent} envelopes (${e.sealedLive} sealed) through the real relay in ${seconds} s; ${run.reportsFiled} reports filed\n`);
  for (const d of check.detectors) {
    io.stderr.write(`  ${d.equal ? 'equal  ' : 'DIFFERS'} ${d.id}: fast path flagged ${d.fastPath.length}, live ${d.live.length}\n`);
  }
  io.stderr.write(`  ${check.reports.equal ? 'equal  ' : 'DIFFERS'} reported accounts: fast path ${check.reports.fastPath.length}, live ${check.reports.live.length}\n`);
  if (!check.accounts.equal) io.stderr.write(`  DIFFERS accounts: ${check.accounts.createdAtDiffer.length} created at another time, ${check.accounts.ageBandDiffer.length} with another age band, ${check.accounts.onServer} on the server of ${check.accounts.signedUp} signed up\n`);
  if (!e.equal) io.stderr.write(`  DIFFERS envelopes: ${e.sealedDifferCount} sealed differently, ${e.timeDifferCount} stored at another time, ${e.generated - e.sent} not sent\n`);
  io.stderr.write(
    check.equal
      ? `scenario --live: the live run equals the fast path; wrote ${join(args.out, 'result.json')}, live-check.json and run.json\n`
      : `scenario --live: the live run DIFFERS from the fast path: see ${join(args.out, 'live-check.json')}\n`,
  );
  return check.equal ? 0 : EXIT_LIVE_DIFFERS;
}
