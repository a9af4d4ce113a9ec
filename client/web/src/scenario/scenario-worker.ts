/**
 * The scenario, run in a Web Worker so the page stays responsive: runScenario from
 * @envelope/scenario, a progress message after each simulated day, then result.json's text
 * (resultJson: the same bytes the CLI writes for the same parameters). The page cancels a run by
 * terminating this worker; runScenario is synchronous, so there is nothing else to stop.
 */
import { resultJson, runScenario, ScenarioError } from '@envelope/scenario';
import type { FromWorker, ToWorker } from './worker-protocol.js';

/** The worker's global scope, as much of it as this file uses (the page's TypeScript library is the DOM's, not the worker's). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
};

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type !== 'run') return;
  const started = performance.now();
  try {
    const result = runScenario(message.overrides, { onDay: (day, days) => scope.postMessage({ type: 'day', day, days }) });
    scope.postMessage({ type: 'done', json: resultJson(result), seconds: Math.round(performance.now() - started) / 1000 });
  } catch (error) {
    // A bad parameter the page's own check missed, or a failure in the run: said in words, never thrown into the console.
    const text = error instanceof ScenarioError ? `A parameter was refused: ${error.message}.` : `The run failed: ${(error as Error).message}`;
    scope.postMessage({ type: 'error', message: text });
  }
};
