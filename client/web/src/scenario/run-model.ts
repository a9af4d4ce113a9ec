/**
 * One run of the scenario at a time, outside React (so StrictMode's double mount never starts a
 * second worker): starts a Web Worker per run, follows its progress, and on Cancel terminates it.
 * The result is kept as result.json's text, parsed once for the page's tables.
 */
import type { ScenarioParameters, ScenarioResult } from '@envelope/scenario';
import { Observable } from '../ui/observable.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

export type RunState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly day: number; readonly days: number }
  | { readonly kind: 'done'; readonly json: string; readonly result: ScenarioResult; readonly seconds: number }
  | { readonly kind: 'cancelled'; readonly day: number; readonly days: number }
  | { readonly kind: 'failed'; readonly message: string };

export class ScenarioRunModel {
  readonly state = new Observable<RunState>({ kind: 'idle' });
  #worker: Worker | null = null;

  run(parameters: ScenarioParameters, overrides: Partial<ScenarioParameters>): void {
    this.#stop();
    // Vite bundles the worker and its imports (the scenario and the server's detectors) as a file of its own, fetched only here.
    const worker = new Worker(new URL('./scenario-worker.ts', import.meta.url), { type: 'module', name: 'scenario' });
    this.#worker = worker;
    this.state.set({ kind: 'running', day: 0, days: parameters.days });
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      if (this.#worker !== worker) return;
      const message = event.data;
      if (message.type === 'day') this.state.set({ kind: 'running', day: message.day, days: message.days });
      else {
        this.#stop();
        if (message.type === 'done') this.state.set({ kind: 'done', json: message.json, result: JSON.parse(message.json) as ScenarioResult, seconds: message.seconds });
        else this.state.set({ kind: 'failed', message: message.message });
      }
    };
    worker.onerror = (event) => {
      if (this.#worker !== worker) return;
      // Said on the page; preventDefault keeps the browser from also logging it as an uncaught error.
      event.preventDefault();
      this.#stop();
      this.state.set({ kind: 'failed', message: `The run stopped: ${event.message || 'the worker could not start'}.` });
    };
    const start: ToWorker = { type: 'run', overrides };
    worker.postMessage(start);
  }

  cancel(): void {
    const now = this.state.get();
    if (now.kind !== 'running') return;
    this.#stop();
    this.state.set({ kind: 'cancelled', day: now.day, days: now.days });
  }

  #stop(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }
}
