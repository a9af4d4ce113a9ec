/**
 * The scenario, run in a Web Worker so the page stays responsive: runScenario from
 * @envelope/scenario, a progress message after each simulated day, then result.json's text
 * (resultJson: the same bytes the CLI writes for the same parameters), then the briefing's charts
 * (chartSvgs: Vega-Lite drawn to SVG, the same charts briefing.html holds). briefing.html itself
 * is written on request (renderBriefing), from the result this worker keeps. The tornado (which
 * assumptions move the headline most: computeTornado's runs at a smaller size) runs in a second
 * worker of this file, so the first keeps answering. The page cancels either by terminating its
 * worker; runScenario is synchronous, so there is nothing else to stop.
 */
import { chartSvgs, computeTornado, renderBriefing, resultJson, runScenario, ScenarioError, type ScenarioParameters, type ScenarioResult } from '@envelope/scenario';
import type { FromWorker, ToWorker } from './worker-protocol.js';

/** The worker's global scope, as much of it as this file uses (the page's TypeScript library is the DOM's, not the worker's). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
};

let last: ScenarioResult | null = null;

const failure = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The charts run under the page's Content-Security-Policy (no 'unsafe-eval', in this worker too):
 * the briefing's renderer evaluates Vega's expressions with Vega's own interpreter, so a failure
 * here is a real one, said in words.
 */
function drawingFailure(what: string, error: unknown): string {
  return `${what} could not be drawn: ${failure(error)}`;
}

async function run(overrides: Partial<ScenarioParameters>): Promise<void> {
  const started = performance.now();
  let result: ScenarioResult;
  try {
    result = runScenario(overrides, { onDay: (day, days) => scope.postMessage({ type: 'day', day, days }) });
  } catch (error) {
    // A bad parameter the page's own check missed, or a failure in the run: said in words, never thrown into the console.
    const message = error instanceof ScenarioError ? `A parameter was refused: ${error.message}.` : `The run failed: ${failure(error)}`;
    scope.postMessage({ type: 'error', stage: 'run', message });
    return;
  }
  last = result;
  scope.postMessage({ type: 'done', json: resultJson(result), seconds: Math.round(performance.now() - started) / 1000 });
  await drawCharts(result);
}

async function drawCharts(result: ScenarioResult): Promise<void> {
  try {
    scope.postMessage({ type: 'charts', charts: await chartSvgs(result) });
  } catch (error) {
    scope.postMessage({ type: 'error', stage: 'charts', message: drawingFailure('The charts', error) });
  }
}

function tornado(overrides: Partial<ScenarioParameters>): void {
  try {
    const computed = computeTornado(overrides, {}, (o) => runScenario(o), (done, total) => scope.postMessage({ type: 'tornado-run', done, total }));
    scope.postMessage({ type: 'tornado', tornado: computed });
  } catch (error) {
    scope.postMessage({ type: 'error', stage: 'tornado', message: `The tornado's runs failed: ${failure(error)}` });
  }
}

async function briefing(): Promise<void> {
  if (!last) {
    scope.postMessage({ type: 'error', stage: 'briefing', message: 'There is no run to write a briefing of.' });
    return;
  }
  try {
    scope.postMessage({ type: 'briefing', html: await renderBriefing(last) });
  } catch (error) {
    scope.postMessage({ type: 'error', stage: 'briefing', message: drawingFailure('The briefing (its charts)', error) });
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'run') void run(message.overrides);
  else if (message.type === 'briefing') void briefing();
  else if (message.type === 'tornado') tornado(message.overrides);
  else if (message.type === 'use') {
    last = JSON.parse(message.json) as ScenarioResult;
    void drawCharts(last);
  }
};
