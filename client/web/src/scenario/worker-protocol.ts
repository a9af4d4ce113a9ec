/**
 * The messages between the scenario page and its Web Worker (scenario-worker.ts). The worker runs
 * @envelope/scenario itself, so a run never loads a server and the figures are the package's own;
 * the result crosses as result.json's exact text, which the page both parses and offers for
 * download. After a run the worker draws the briefing's charts, and on request writes
 * briefing.html, from the result it still holds.
 */
import type { Chart, ScenarioParameters, Tornado } from '@envelope/scenario';

export type ToWorker =
  | { readonly type: 'run'; readonly overrides: Partial<ScenarioParameters> }
  | { readonly type: 'briefing' }
  /** The result with its tornado added (result.json's text): draw the charts again from it, and write the briefing from it. */
  | { readonly type: 'use'; readonly json: string }
  /** In a worker of its own: the tornado's runs for a main run with these overrides. */
  | { readonly type: 'tornado'; readonly overrides: Partial<ScenarioParameters> };

export type FromWorker =
  | { readonly type: 'day'; readonly day: number; readonly days: number }
  | { readonly type: 'done'; readonly json: string; readonly seconds: number }
  | { readonly type: 'charts'; readonly charts: readonly Chart[] }
  | { readonly type: 'briefing'; readonly html: string }
  | { readonly type: 'tornado-run'; readonly done: number; readonly total: number }
  | { readonly type: 'tornado'; readonly tornado: Tornado }
  | { readonly type: 'error'; readonly stage: 'run' | 'charts' | 'briefing' | 'tornado'; readonly message: string };
