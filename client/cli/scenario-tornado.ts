/**
 * The tornado for `npm run scenario`: the plan's runs (@envelope/scenario's tornadoPlan) spread
 * over worker threads, one run per message, then assembled in the plan's order, so the result
 * is the same bytes however many threads ran it and in whatever order they finished.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { assembleTornado, resolveParameters, tornadoPlan, type ScenarioParameters, type Tornado } from '@envelope/scenario';

export interface TornadoOptions {
  readonly users?: number;
  readonly days?: number;
  /** Worker threads (default: the machine's cores, at most 4); 0 runs everything on this thread. */
  readonly threads?: number;
  readonly onRun?: (done: number, total: number) => void;
}

const WORKER = new URL('./scenario-tornado-worker.ts', import.meta.url);
/**
 * Each worker first registers tsx's loader, then imports the TypeScript worker: Node 20 does not
 * pass the parent's loader hooks to a worker, whichever way the parent was started (tsx, vitest).
 */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const entry = (require(manifest) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  return pathToFileURL(join(dirname(manifest), entry)).href;
}
const BOOTSTRAP = new URL(
  `data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(tsxEsmApi())}; register(); await import(${JSON.stringify(WORKER.href)});`)}`,
);

export async function runTornado(main: Partial<ScenarioParameters>, options: TornadoOptions = {}): Promise<Tornado> {
  const plan = tornadoPlan(main, options);
  // A bad size is the caller's mistake: say so before any thread starts (a ScenarioError).
  for (const run of plan) resolveParameters(run.overrides);
  const threads = Math.min(options.threads ?? Math.min(availableParallelism(), 4), plan.length);
  const figures: (number | null)[] = new Array<number | null>(plan.length).fill(null);
  let done = 0;
  if (threads <= 0) {
    const { headlineFigure, runScenario } = await import('@envelope/scenario');
    for (const [i, run] of plan.entries()) {
      figures[i] = headlineFigure(runScenario(run.overrides));
      options.onRun?.(++done, plan.length);
    }
    return assembleTornado(main, plan, figures);
  }
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(BOOTSTRAP));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (next >= plan.length) return resolve();
              const index = next++;
              worker.postMessage({ index, overrides: plan[index]!.overrides });
            };
            worker.on('message', (m: { index: number; figure?: number | null; error?: string }) => {
              if (m.error !== undefined) return reject(new Error(`tornado run ${plan[m.index]!.key}: ${m.error}`));
              figures[m.index] = m.figure ?? null;
              options.onRun?.(++done, plan.length);
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a tornado thread stopped (exit code ${code})`))));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return assembleTornado(main, plan, figures);
}
