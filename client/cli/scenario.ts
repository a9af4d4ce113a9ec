/**
 * `npm run scenario -- --users N --days D --seed S --out DIR`: runs the scenario
 * (@envelope/scenario; its traffic generated in a worker thread with --workers 2,
 * scenario-threads.ts), shows its progress on stderr, then the tornado's runs at a smaller size
 * (scenario-tornado.ts, in worker threads), and writes DIR/result.json (the parameters with
 * their sources, the figures and the tornado: the same seed gives the same bytes),
 * DIR/briefing.html (the self-contained briefing) and DIR/run.json (this run's time and peak
 * memory, which differ from run to run and so are kept apart).
 * `--live` hands over to scenario-live-cli.ts (the same run through the real relay).
 * Exit codes: 0 done, 2 bad arguments (with the usage), 1 the output could not be written.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULTS, renderBriefing, resultJson, ScenarioError, TORNADO_DEFAULT_SIZE, type ScenarioParameters, type ScenarioResult, withTornado } from '@envelope/scenario';
import { MAX_SCENARIO_WORKERS, runScenarioThreaded } from './scenario-threads.js';
import { runTornado } from './scenario-tornado.js';

export const SCENARIO_USAGE = `usage: npm run scenario -- --out DIR [--users N] [--days D] [--seed S]
         [--sealed-sender-share X] [--padding on|off] [--discoverability anyone|contacts-only]
         [--set PARAMETER=VALUE ...] [--workers 1|2] [--live]
         [--tornado-users N] [--tornado-days D] [--tornado-threads T] [--no-tornado]
Writes DIR/result.json (same seed, same bytes), DIR/briefing.html and DIR/run.json (time, peak memory).
The tornado re-runs the scenario twice per candidate default at --tornado-users ${TORNADO_DEFAULT_SIZE.users} --tornado-days ${TORNADO_DEFAULT_SIZE.days}
(never more than the main run), in T worker threads (default: the cores, at most 4).
--live: the same run through a real server with a real client per account (at most 200 users and
7 days), checked against the fast path in DIR/live-check.json (exit code 3 if they differ).
--workers 2 (the default on a machine with two cores or more) generates the traffic in a worker
thread while the detectors run; the result is the same either way.
Defaults: --users ${DEFAULTS.users} --days ${DEFAULTS.days} --seed ${DEFAULTS.seed}. Every parameter, its default and its
source: docs/scenario.md (--set takes any of them by name, e.g. --set victimReportProbability=0.3).`;

export interface ScenarioIo {
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Resident memory now, in bytes (process.memoryUsage().rss). */
  readonly memory: () => number;
  readonly now: () => number;
}

export class UsageError extends Error {}

function number(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} must be a number, not "${text}"`);
  return value;
}

export interface TornadoArgs {
  readonly off: boolean;
  readonly users?: number;
  readonly days?: number;
  readonly threads?: number;
}

export function parseScenarioArgs(argv: readonly string[]): { out: string; overrides: Partial<ScenarioParameters>; tornado: TornadoArgs; workers: number } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string' },
        users: { type: 'string' },
        days: { type: 'string' },
        seed: { type: 'string' },
        'sealed-sender-share': { type: 'string' },
        padding: { type: 'string' },
        discoverability: { type: 'string' },
        set: { type: 'string', multiple: true },
        'tornado-users': { type: 'string' },
        'tornado-days': { type: 'string' },
        'tornado-threads': { type: 'string' },
        'no-tornado': { type: 'boolean' },
        workers: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.out === undefined || v.out === '') throw new UsageError('--out DIR is required');
  const overrides: Record<string, unknown> = {};
  if (v.users !== undefined) overrides.users = number('users', v.users);
  if (v.days !== undefined) overrides.days = number('days', v.days);
  if (v.seed !== undefined) overrides.seed = number('seed', v.seed);
  if (v['sealed-sender-share'] !== undefined) overrides.sealedSenderShare = number('sealed-sender-share', v['sealed-sender-share']);
  if (v.padding !== undefined) {
    if (v.padding !== 'on' && v.padding !== 'off') throw new UsageError(`--padding must be on or off, not "${v.padding}"`);
    overrides.padding = v.padding === 'on';
  }
  if (v.discoverability !== undefined) overrides.discoverability = v.discoverability;
  for (const item of v.set ?? []) {
    const at = item.indexOf('=');
    const key = at > 0 ? item.slice(0, at) : '';
    if (!(key in DEFAULTS)) throw new UsageError(`--set ${item}: not a parameter (PARAMETER=VALUE; docs/scenario.md lists them)`);
    const text = item.slice(at + 1);
    const kind = typeof DEFAULTS[key as keyof ScenarioParameters];
    overrides[key] = kind === 'number' ? number(`set ${key}`, text) : kind === 'boolean' ? (text === 'true' || text === 'on' ? true : text === 'false' || text === 'off' ? false : text) : text;
  }
  return { out: v.out, overrides: overrides as Partial<ScenarioParameters>, tornado: tornadoArgs(v), workers: parseWorkers(v.workers) };
}

function parseWorkers(text: string | undefined): number {
  if (text === undefined) return Math.min(MAX_SCENARIO_WORKERS, availableParallelism());
  const workers = number('workers', text);
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_SCENARIO_WORKERS) throw new UsageError(`--workers must be 1 or ${MAX_SCENARIO_WORKERS}, not "${text}"`);
  return workers;
}

/** CPU time of the whole process (every thread): on a shared machine it moves less than the time does. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000) / 1000;
}

function tornadoArgs(v: { 'tornado-users'?: string; 'tornado-days'?: string; 'tornado-threads'?: string; 'no-tornado'?: boolean }): TornadoArgs {
  const threads = v['tornado-threads'] === undefined ? undefined : number('tornado-threads', v['tornado-threads']);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 0 && threads <= 64)) throw new UsageError(`--tornado-threads must be a whole number from 0 to 64, not "${v['tornado-threads']}"`);
  return {
    off: v['no-tornado'] === true,
    ...(v['tornado-users'] === undefined ? {} : { users: number('tornado-users', v['tornado-users']) }),
    ...(v['tornado-days'] === undefined ? {} : { days: number('tornado-days', v['tornado-days']) }),
    ...(threads === undefined ? {} : { threads }),
  };
}

/** The tornado's runs, with a progress line each; a bad size is a ScenarioError like the main run's. */
async function tornadoFor(args: ReturnType<typeof parseScenarioArgs>, io: ScenarioIo, sample: () => void): Promise<ScenarioResult['tornado']> {
  if (args.tornado.off) return undefined;
  const started = io.now();
  return runTornado(args.overrides, {
    ...args.tornado,
    onRun: (done, total) => {
      sample();
      const line = `scenario: tornado run ${done} of ${total}, ${((io.now() - started) / 1000).toFixed(1)} s`;
      io.stderr.write(io.stderr.isTTY ? `\r${line}${done === total ? '\n' : ''}` : `${line}\n`);
    },
  });
}

export async function runScenarioCli(argv: readonly string[], io: ScenarioIo): Promise<number> {
  if (argv.includes('--live')) {
    // Loaded only when asked: it starts a real server and real clients (scenario-live-cli.ts).
    const { runLiveScenarioCli } = await import('./scenario-live-cli.js');
    return runLiveScenarioCli(argv.filter((arg) => arg !== '--live'), io);
  }
  let args;
  try {
    args = parseScenarioArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`scenario: ${error.message}\n${SCENARIO_USAGE}\n`);
    return 2;
  }
  const started = io.now();
  let peak = io.memory();
  let tornadoSeconds: number | null = null;
  let seconds = 0;
  let result: ScenarioResult;
  const sample = (): void => {
    peak = Math.max(peak, io.memory());
  };
  try {
    result = await runScenarioThreaded(args.overrides, {
      workers: args.workers,
      onDay: (day, days) => {
        sample();
        const line = `scenario: day ${day} of ${days} (${Math.round((100 * day) / days)}%), ${((io.now() - started) / 1000).toFixed(1)} s`;
        io.stderr.write(io.stderr.isTTY ? `\r${line}${day === days ? '\n' : ''}` : `${line}\n`);
      },
    });
    seconds = Math.round(io.now() - started) / 1000;
    const tornadoStarted = io.now();
    const tornado = await tornadoFor(args, io, sample);
    if (tornado) {
      result = withTornado(result, tornado);
      tornadoSeconds = Math.round(io.now() - tornadoStarted) / 1000;
    }
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    io.stderr.write(`scenario: ${error.message}\n${SCENARIO_USAGE}\n`);
    return 2;
  }
  sample();
  const run = { seconds, cpuSeconds: cpuSeconds(), peakResidentMemoryMB: Math.round(peak / 1e5) / 10, workers: args.workers, node: process.version, tornadoSeconds };
  const briefing = await renderBriefing(result, run);
  try {
    await mkdir(args.out, { recursive: true });
    await writeFile(join(args.out, 'result.json'), resultJson(result));
    await writeFile(join(args.out, 'run.json'), JSON.stringify(run, null, 2) + '\n');
    await writeFile(join(args.out, 'briefing.html'), briefing);
  } catch (error) {
    io.stderr.write(`scenario: could not write to ${args.out}: ${(error as Error).message}\n`);
    return 1;
  }
  io.stderr.write(`scenario: ${result.traffic.envelopes} envelopes in ${seconds} s, peak memory ${Math.round(peak / 1e6)} MB; wrote ${join(args.out, 'result.json')}, briefing.html and run.json\n`);
  return 0;
}
