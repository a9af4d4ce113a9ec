/**
 * `npm run scenario -- --users N --days D --seed S --out DIR`: runs the scenario
 * (@envelope/scenario), shows its progress on stderr, and writes DIR/result.json (the parameters
 * with their sources, the figures: the same seed gives the same bytes) and DIR/run.json (this
 * run's time and peak memory, which differ from run to run and so are kept apart).
 * Exit codes: 0 done, 2 bad arguments (with the usage), 1 the output could not be written.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { DEFAULTS, ScenarioError, type ScenarioParameters } from '@envelope/scenario';
import { MAX_SCENARIO_WORKERS, runScenarioThreaded } from './scenario-threads.js';

export const SCENARIO_USAGE = `usage: npm run scenario -- --out DIR [--users N] [--days D] [--seed S]
         [--sealed-sender-share X] [--padding on|off] [--discoverability anyone|contacts-only]
         [--set PARAMETER=VALUE ...] [--workers 1|2]
Writes DIR/result.json (same seed, same bytes) and DIR/run.json (time, peak memory).
Defaults: --users ${DEFAULTS.users} --days ${DEFAULTS.days} --seed ${DEFAULTS.seed}. Every parameter, its default and its
source: docs/scenario.md (--set takes any of them by name, e.g. --set victimReportProbability=0.3).
--workers 2 (the default on a machine with two cores or more) generates the traffic in a worker
thread while the detectors run; the result is the same either way.`;

export interface ScenarioIo {
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Resident memory now, in bytes (process.memoryUsage().rss). */
  readonly memory: () => number;
  readonly now: () => number;
}

class UsageError extends Error {}

function number(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} must be a number, not "${text}"`);
  return value;
}

export function parseScenarioArgs(argv: readonly string[]): { out: string; overrides: Partial<ScenarioParameters>; workers: number } {
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
  return { out: v.out, overrides: overrides as Partial<ScenarioParameters>, workers: parseWorkers(v.workers) };
}

/** CPU time of the whole process (every thread): on a shared machine it moves less than the time does. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000) / 1000;
}

function parseWorkers(text: string | undefined): number {
  if (text === undefined) return Math.min(MAX_SCENARIO_WORKERS, availableParallelism());
  const workers = number('workers', text);
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_SCENARIO_WORKERS) throw new UsageError(`--workers must be 1 or ${MAX_SCENARIO_WORKERS}, not "${text}"`);
  return workers;
}

export async function runScenarioCli(argv: readonly string[], io: ScenarioIo): Promise<number> {
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
  let result;
  try {
    result = await runScenarioThreaded(args.overrides, {
      workers: args.workers,
      onDay: (day, days) => {
        peak = Math.max(peak, io.memory());
        const line = `scenario: day ${day} of ${days} (${Math.round((100 * day) / days)}%), ${((io.now() - started) / 1000).toFixed(1)} s`;
        io.stderr.write(io.stderr.isTTY ? `\r${line}${day === days ? '\n' : ''}` : `${line}\n`);
      },
    });
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    io.stderr.write(`scenario: ${error.message}\n${SCENARIO_USAGE}\n`);
    return 2;
  }
  const seconds = Math.round(io.now() - started) / 1000;
  peak = Math.max(peak, io.memory());
  try {
    await mkdir(args.out, { recursive: true });
    await writeFile(join(args.out, 'result.json'), JSON.stringify(result, null, 2) + '\n');
    await writeFile(join(args.out, 'run.json'), JSON.stringify({ seconds, cpuSeconds: cpuSeconds(), peakResidentMemoryMB: Math.round(peak / 1e5) / 10, workers: args.workers, node: process.version }, null, 2) + '\n');
  } catch (error) {
    io.stderr.write(`scenario: could not write to ${args.out}: ${(error as Error).message}\n`);
    return 1;
  }
  io.stderr.write(`scenario: ${result.traffic.envelopes} envelopes in ${seconds} s, peak memory ${Math.round(peak / 1e6)} MB; wrote ${join(args.out, 'result.json')} and run.json\n`);
  return 0;
}
