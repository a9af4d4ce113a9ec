/**
 * The `scenario` benchmark section: `npm run scenario` at growing sizes, each in a process of its
 * own (so each run's peak memory is its own), with the traffic generated in a worker thread; the
 * time, peak resident memory and envelopes per second of each. Then, in this process and one
 * thread, what an envelope costs each half of a run (generation with its content model, and the
 * server's detectors), which is what bounds the time. And a UK-sized run's time and memory,
 * extrapolated from the largest run (labelled so: it is not run).
 *
 * Sizes: `--scenario-sizes=USERSxDAYS,...` (default below); `--scenario-workers=1|2`.
 * A quick check: `npm run bench -- scenario --scenario-sizes=2000x7,10000x7`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Detection, resolveParameters, TrafficFeed, type DayBatch } from '@envelope/scenario';

const DEFAULT_SIZES = '10000x30,100000x30,1000000x30';
/** The UK's population, about 68 million, of which about 40 million on a messaging service: the issue's "UK-sized run". */
const UK_USERS = 40_000_000;
const UK_DAYS = 30;
/** The issue's target size: extrapolated too when it was not among the runs. */
const MILLION = 1_000_000;
/** The size at which the cost per envelope of each half is measured in this process. */
const SPLIT_SIZE = { users: 10_000, days: 7 };
const SEED = 1;
/** Heap allowed to each run (and to its worker): a million accounts need more than Node's default. */
const HEAP_MB = 16_384;

export interface ScenarioRun {
  users: number;
  days: number;
  workers: number;
  envelopes: number;
  seconds: number;
  /** CPU time of the run's process, all threads: steadier than the time on a shared machine. */
  cpu_seconds: number;
  cpu_us_per_envelope: number;
  envelopes_per_s: number;
  peak_rss_mb: number;
  /** Peak memory over accounts: what stays about constant if memory grows only with the population. */
  peak_rss_kb_per_user: number;
}

export interface ScenarioSection {
  runs: ScenarioRun[];
  /** The first size again with the other thread count, right after: two threads against one at the same moment (time ratio). */
  threads_compared: { one: ScenarioRun; two: ScenarioRun; two_over_one_seconds: number; two_over_one_cpu: number } | null;
  /** CPU time per envelope of each half, in one thread (µs): the larger one bounds a two-thread run. */
  cost_per_envelope: { users: number; days: number; envelopes: number; generation_us: number; detection_us: number };
  /** Not run: a million accounts x 30 days unless it was among the runs, and a UK-sized run (see extrapolate). */
  extrapolated: Extrapolated[];
}

export interface Extrapolated {
  label: string;
  users: number;
  days: number;
  envelopes: number;
  /** At the largest run's envelopes per second (this machine, as loaded as it was). */
  seconds: number;
  /** On an idle two-core machine: the detection half's share of the largest run's CPU per envelope, times the envelopes (the halves overlap). */
  seconds_if_idle: number;
  peak_rss_mb: number;
  from: string;
}

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

function parseSizes(text: string): { users: number; days: number }[] {
  return text.split(',').map((item) => {
    const match = /^(\d+)x(\d+)$/.exec(item.trim());
    if (!match) throw new Error(`--scenario-sizes: "${item}" is not USERSxDAYS (e.g. 100000x30)`);
    return { users: Number(match[1]), days: Number(match[2]) };
  });
}

/** One `npm run scenario` in a child process; its progress goes to our stderr. */
async function runOnce(users: number, days: number, workers: number): Promise<ScenarioRun> {
  const out = mkdtempSync(join(tmpdir(), 'envelope-bench-scenario-'));
  try {
    const args = [...process.execArgv, `--max-old-space-size=${HEAP_MB}`, 'client/cli/scenario-main.ts', '--users', String(users), '--days', String(days), '--seed', String(SEED), '--workers', String(workers), '--no-tornado', '--out', out];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0) throw new Error(`scenario ${users}x${days} exited with ${code}`);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { seconds: number; cpuSeconds: number; peakResidentMemoryMB: number };
    const envelopes = (JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as { traffic: { envelopes: number } }).traffic.envelopes;
    const cpuUs = Math.round((run.cpuSeconds / envelopes) * 1e9) / 1000;
    return { users, days, workers, envelopes, seconds: run.seconds, cpu_seconds: run.cpuSeconds, cpu_us_per_envelope: cpuUs, envelopes_per_s: Math.round(envelopes / run.seconds), peak_rss_mb: run.peakResidentMemoryMB, peak_rss_kb_per_user: Math.round((run.peakResidentMemoryMB * 1000) / users) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** CPU per envelope of generation, then of detection over the same batches (best of three). */
function costPerEnvelope(): ScenarioSection['cost_per_envelope'] {
  const p = resolveParameters({ ...SPLIT_SIZE, seed: SEED });
  const cpu = (): number => {
    const { user, system } = process.cpuUsage();
    return user + system;
  };
  let started = cpu();
  const feed = new TrafficFeed(p);
  const batches: DayBatch[] = [];
  for (let day = 0; day < p.days; day++) batches.push(feed.day(day));
  const generation = cpu() - started;
  const envelopes = batches.reduce((sum, b) => sum + b.length, 0);
  let detection = Infinity;
  for (let round = 0; round < 3; round++) {
    started = cpu();
    const detect = new Detection(feed.pop, p);
    for (const batch of batches) detect.day(batch);
    detection = Math.min(detection, cpu() - started);
  }
  const us = (micros: number): number => Math.round((micros / envelopes) * 1000) / 1000;
  return { ...SPLIT_SIZE, envelopes, generation_us: us(generation), detection_us: us(detection) };
}

/**
 * A size not run, from the runs: envelopes in proportion to accounts x days (the largest run's
 * rate); time at the largest run's envelopes per second, and on an idle machine at the detection
 * half's share of its CPU per envelope (the halves overlap); memory linear in accounts, through
 * the two largest populations (each at its longest run).
 */
export function extrapolate(runs: ScenarioRun[], cost: ScenarioSection['cost_per_envelope'], users: number, days: number): Extrapolated {
  const largest = [...runs].sort((a, b) => a.envelopes - b.envelopes)[runs.length - 1]!;
  const envelopes = Math.round((largest.envelopes / (largest.users * largest.days)) * users * days);
  const longestPerSize = new Map<number, ScenarioRun>();
  for (const run of runs) if ((longestPerSize.get(run.users)?.days ?? -1) < run.days) longestPerSize.set(run.users, run);
  const bySize = [...longestPerSize.values()].sort((a, b) => a.users - b.users);
  const big = bySize[bySize.length - 1]!;
  const small = bySize.length > 1 ? bySize[bySize.length - 2]! : undefined;
  const mbPerUser = small ? (big.peak_rss_mb - small.peak_rss_mb) / (big.users - small.users) : big.peak_rss_mb / big.users;
  return {
    label: 'extrapolated, not measured',
    users,
    days,
    envelopes,
    seconds: Math.round(envelopes / largest.envelopes_per_s),
    seconds_if_idle: Math.round((envelopes * largest.cpu_us_per_envelope * cost.detection_us) / (cost.detection_us + cost.generation_us) / 1e6),
    peak_rss_mb: Math.round(big.peak_rss_mb + mbPerUser * (users - big.users)),
    from: `time from ${largest.users}x${largest.days} (${largest.envelopes_per_s} envelopes/s, ${largest.cpu_us_per_envelope} us of CPU per envelope); memory through ${small ? `${small.users}x${small.days} and ` : ''}${big.users}x${big.days}`,
  };
}

export async function benchScenario(): Promise<ScenarioSection> {
  const sizes = parseSizes(option('scenario-sizes') ?? DEFAULT_SIZES);
  const workers = Number(option('scenario-workers') ?? 2);
  const runs: ScenarioRun[] = [];
  for (const { users, days } of sizes) {
    process.stderr.write(`bench: scenario ${users} x ${days} days, ${workers} thread(s)\n`);
    runs.push(await runOnce(users, days, workers));
  }
  process.stderr.write(`bench: scenario cost per envelope (${SPLIT_SIZE.users} x ${SPLIT_SIZE.days}, one thread)\n`);
  let threadsCompared: ScenarioSection['threads_compared'] = null;
  if (runs.length > 0) {
    const first = runs[0]!;
    const otherCount = first.workers === 1 ? 2 : 1;
    process.stderr.write(`bench: scenario ${first.users} x ${first.days} days again, ${otherCount} thread(s)\n`);
    const other = await runOnce(first.users, first.days, otherCount);
    const [one, two] = first.workers === 1 ? [first, other] : [other, first];
    const ratio = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;
    threadsCompared = { one, two, two_over_one_seconds: ratio(two.seconds, one.seconds), two_over_one_cpu: ratio(two.cpu_seconds, one.cpu_seconds) };
  }
  const cost = costPerEnvelope();
  const targets = [...(runs.some((r) => r.users === MILLION && r.days === UK_DAYS) ? [] : [MILLION]), UK_USERS];
  return { runs, threads_compared: threadsCompared, cost_per_envelope: cost, extrapolated: targets.map((users) => extrapolate(runs, cost, users, UK_DAYS)) };
}
