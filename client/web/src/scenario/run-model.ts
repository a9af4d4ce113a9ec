/**
 * One run of the scenario at a time, outside React (so StrictMode's double mount never starts a
 * second worker): starts a Web Worker per run, follows its progress, and on Cancel terminates it.
 * The result is kept as result.json's text, parsed once for the page's tables. The worker stays
 * after the run to draw the charts and, when asked, write briefing.html; the next run replaces it.
 */
import { resultJson, withTornado, type Chart, type ScenarioParameters, type ScenarioResult } from '@envelope/scenario';
import { Observable } from '../ui/observable.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

export type ChartsState = { readonly kind: 'drawing' } | { readonly kind: 'ready'; readonly charts: readonly Chart[] } | { readonly kind: 'failed'; readonly message: string };
export type BriefingState = { readonly kind: 'idle' } | { readonly kind: 'writing' } | { readonly kind: 'failed'; readonly message: string };
export type TornadoState =
  | { readonly kind: 'none' }
  | { readonly kind: 'running'; readonly done: number; readonly total: number }
  | { readonly kind: 'cancelled'; readonly done: number; readonly total: number }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly message: string };

export type RunState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly day: number; readonly days: number }
  | {
      readonly kind: 'done';
      readonly json: string;
      readonly result: ScenarioResult;
      readonly seconds: number;
      readonly charts: ChartsState;
      readonly briefing: BriefingState;
      readonly tornado: TornadoState;
    }
  | { readonly kind: 'cancelled'; readonly day: number; readonly days: number }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Starts a scenario worker (Vite bundles it and its imports, the scenario, the server's detectors
 * and Vega, as files of their own, fetched only here). Its messages and failure reach the model
 * only while it is still the current one (`isCurrent`): a stopped worker's late messages are
 * dropped. A failure is said on the page (`onFailure`, with the browser's reason);
 * preventDefault keeps the browser from also logging it as an uncaught error.
 */
function startWorker(
  name: string,
  isCurrent: (worker: Worker) => boolean,
  onMessage: (message: FromWorker) => void,
  onFailure: (reason: string) => void,
): Worker {
  const worker = new Worker(new URL('./scenario-worker.ts', import.meta.url), { type: 'module', name });
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    if (isCurrent(worker)) onMessage(event.data);
  };
  worker.onerror = (event) => {
    if (!isCurrent(worker)) return;
    event.preventDefault();
    onFailure(event.message || 'the worker could not start');
  };
  return worker;
}

export class ScenarioRunModel {
  readonly state = new Observable<RunState>({ kind: 'idle' });
  #worker: Worker | null = null;
  #tornadoWorker: Worker | null = null;
  #overrides: Partial<ScenarioParameters> = {};
  #onBriefing: ((html: string) => void) | null = null;

  run(parameters: ScenarioParameters, overrides: Partial<ScenarioParameters>): void {
    this.#stop();
    this.#overrides = overrides;
    this.#worker = startWorker(
      'scenario',
      (worker) => this.#worker === worker,
      (message) => this.#receive(message),
      (reason) => {
        this.#stop();
        this.state.set({ kind: 'failed', message: `The run stopped: ${reason}.` });
      },
    );
    this.state.set({ kind: 'running', day: 0, days: parameters.days });
    this.#send({ type: 'run', overrides });
  }

  cancel(): void {
    const now = this.state.get();
    if (now.kind !== 'running') return;
    this.#stop();
    this.state.set({ kind: 'cancelled', day: now.day, days: now.days });
  }

  /** Runs the tornado for the finished run, in a second worker; its result joins result.json, the charts and the briefing. */
  computeTornado(): void {
    const now = this.state.get();
    if (now.kind !== 'done' || now.tornado.kind === 'running' || now.tornado.kind === 'done') return;
    const worker = startWorker(
      'scenario-tornado',
      (current) => this.#tornadoWorker === current,
      (message) => this.#receiveTornado(message),
      (reason) => {
        this.#stopTornado();
        this.#setTornado({ kind: 'failed', message: `The tornado's runs stopped: ${reason}.` });
      },
    );
    this.#tornadoWorker = worker;
    this.state.set({ ...now, tornado: { kind: 'running', done: 0, total: 0 } });
    const start: ToWorker = { type: 'tornado', overrides: this.#overrides };
    worker.postMessage(start);
  }

  cancelTornado(): void {
    const now = this.state.get();
    if (now.kind !== 'done' || now.tornado.kind !== 'running') return;
    this.#stopTornado();
    this.#setTornado({ kind: 'cancelled', done: now.tornado.done, total: now.tornado.total });
  }

  /** Asks the worker for briefing.html; `deliver` gets it (to save it as a file). */
  writeBriefing(deliver: (html: string) => void): void {
    const now = this.state.get();
    if (now.kind !== 'done' || now.briefing.kind === 'writing') return;
    this.#onBriefing = deliver;
    this.state.set({ ...now, briefing: { kind: 'writing' } });
    this.#send({ type: 'briefing' });
  }

  #receive(message: FromWorker): void {
    const now = this.state.get();
    switch (message.type) {
      case 'day':
        this.state.set({ kind: 'running', day: message.day, days: message.days });
        return;
      case 'done':
        this.state.set({
          kind: 'done',
          json: message.json,
          result: JSON.parse(message.json) as ScenarioResult,
          seconds: message.seconds,
          charts: { kind: 'drawing' },
          briefing: { kind: 'idle' },
          tornado: { kind: 'none' },
        });
        return;
      case 'charts':
        if (now.kind === 'done') this.state.set({ ...now, charts: { kind: 'ready', charts: message.charts } });
        return;
      case 'briefing': {
        const deliver = this.#onBriefing;
        this.#onBriefing = null;
        if (now.kind === 'done') this.state.set({ ...now, briefing: { kind: 'idle' } });
        deliver?.(message.html);
        return;
      }
      case 'error':
        if (message.stage === 'run') {
          this.#stop();
          this.state.set({ kind: 'failed', message: message.message });
        } else if (now.kind === 'done') {
          this.state.set(message.stage === 'charts' ? { ...now, charts: { kind: 'failed', message: message.message } } : { ...now, briefing: { kind: 'failed', message: message.message } });
        }
    }
  }

  #receiveTornado(message: FromWorker): void {
    const now = this.state.get();
    if (now.kind !== 'done') return;
    if (message.type === 'tornado-run') this.#setTornado({ kind: 'running', done: message.done, total: message.total });
    else if (message.type === 'error') {
      this.#stopTornado();
      this.#setTornado({ kind: 'failed', message: message.message });
    } else if (message.type === 'tornado') {
      this.#stopTornado();
      const result = withTornado(now.result, message.tornado);
      const json = resultJson(result);
      this.state.set({ ...now, result, json, charts: { kind: 'drawing' }, tornado: { kind: 'done' } });
      this.#send({ type: 'use', json });
    }
  }

  #setTornado(tornado: TornadoState): void {
    const now = this.state.get();
    if (now.kind === 'done') this.state.set({ ...now, tornado });
  }

  #stopTornado(): void {
    this.#tornadoWorker?.terminate();
    this.#tornadoWorker = null;
  }

  #send(message: ToWorker): void {
    this.#worker?.postMessage(message);
  }

  #stop(): void {
    this.#stopTornado();
    this.#worker?.terminate();
    this.#worker = null;
    this.#onBriefing = null;
  }
}
