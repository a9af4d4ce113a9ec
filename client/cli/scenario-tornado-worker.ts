/**
 * A worker thread of the tornado (scenario-tornado.ts): runs the scenario for each set of
 * parameters it is sent and answers with the headline figure. Each run is whole and seeded, so
 * which thread runs it changes nothing.
 */
import { parentPort } from 'node:worker_threads';
import { headlineFigure, runScenario, type ScenarioParameters } from '@envelope/scenario';

parentPort!.on('message', (job: { index: number; overrides: Partial<ScenarioParameters> }) => {
  try {
    parentPort!.postMessage({ index: job.index, figure: headlineFigure(runScenario(job.overrides)) });
  } catch (error) {
    parentPort!.postMessage({ index: job.index, error: (error as Error).message });
  }
});
