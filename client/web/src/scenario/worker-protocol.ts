/**
 * The messages between the scenario page and its Web Worker (scenario-worker.ts). The worker runs
 * @envelope/scenario itself, so a run never loads a server and the figures are the package's own;
 * the result crosses as result.json's exact text, which the page both parses and offers for
 * download. After a run the worker draws the briefing's charts, and on request writes
 * briefing.html, from the result it still holds.
 */
import type { Chart, ScenarioParameters } from '@envelope/scenario';

export type ToWorker = { readonly type: 'run'; readonly overrides: Partial<ScenarioParameters> } | { readonly type: 'briefing' };

export type FromWorker =
  | { readonly type: 'day'; readonly day: number; readonly days: number }
  | { readonly type: 'done'; readonly json: string; readonly seconds: number }
  | { readonly type: 'charts'; readonly charts: readonly Chart[] }
  | { readonly type: 'briefing'; readonly html: string }
  | { readonly type: 'error'; readonly stage: 'run' | 'charts' | 'briefing'; readonly message: string };
