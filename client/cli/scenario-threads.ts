/**
 * The scenario on two threads (Node only, so here and not in @envelope/scenario, which must run in
 * a browser page too): a worker generates each day's traffic (TrafficFeed: generation, time order,
 * sealing, content, reports) while this thread runs the server's detectors on the day before
 * (Detection). Both build the population from the seed; the batches arrive in day order; so the
 * result is the same, byte for byte, as runScenario's in one thread (a test checks it).
 *
 * Two threads, not more: the detectors need one ordered feed, and each day's traffic depends on
 * the day before (new acquaintances join contact lists), so neither half splits further without
 * changing the random streams. On a two-core machine two threads are what there is.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { Detection, finishRun, populationWithPlans, resolveParameters, runScenario, type DayBatch, type FeedFacts, type RunOptions, type ScenarioParameters, type ScenarioResult } from '@envelope/scenario';
import type { FeedWorkerData, FeedWorkerMessage } from './scenario-feed-worker.js';

/** Days the generating worker may run ahead of detection: one in hand, one being made. */
const FEED_AHEAD = 2;
export const MAX_SCENARIO_WORKERS = 2;

export interface ThreadedRunOptions extends Pick<RunOptions, 'onDay'> {
  /** 1: everything in this thread (runScenario); 2: traffic generated in a worker thread. */
  readonly workers: number;
}

/**
 * The worker. From TypeScript source (tsx, vitest) it registers tsx's loader first: a worker does
 * not inherit the parent's module hooks on Node 20.
 */
function feedWorker(data: FeedWorkerData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './scenario-feed-worker.ts' : './scenario-feed-worker.js', import.meta.url);
  // The worker's heap may grow as large as this thread's (a million accounts' traffic state is large).
  const resourceLimits = { maxOldGenerationSizeMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20) };
  if (!fromSource) return new Worker(entry, { workerData: data, resourceLimits });
  // tsx's ESM API (its package's exports name the file): require.resolve would give the CommonJS one.
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsxExports = (JSON.parse(readFileSync(tsxPackage, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  const tsxApi = new URL(tsxExports['./esm/api']!.import.default, pathToFileURL(tsxPackage)).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data, execArgv: [], resourceLimits });
}

export async function runScenarioThreaded(overrides: Partial<ScenarioParameters>, options: ThreadedRunOptions): Promise<ScenarioResult> {
  if (options.workers <= 1) return runScenario(overrides, { onDay: options.onDay });
  const p = resolveParameters(overrides);
  const worker = feedWorker({ parameters: p, ahead: FEED_AHEAD });
  try {
    const { pop } = populationWithPlans(p);
    const detection = new Detection(pop, p);
    const feed = await new Promise<FeedFacts>((resolve, reject) => {
      let expected = 0;
      worker.on('message', (message: FeedWorkerMessage) => {
        try {
          if (message.type === 'facts') return resolve(message.facts);
          const batch: DayBatch = message.batch;
          if (batch.day !== expected) throw new Error(`scenario: day ${batch.day} arrived, ${expected} expected`);
          expected++;
          detection.day(batch);
          worker.postMessage({ type: 'more' });
          options.onDay?.(batch.day + 1, p.days);
        } catch (error) {
          reject(error as Error);
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`scenario: the generating worker stopped (exit code ${code}) before it finished`)));
    });
    return finishRun(p, pop, feed, detection.facts());
  } finally {
    await worker.terminate();
  }
}
