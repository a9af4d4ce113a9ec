/**
 * The scenario's generating half in a worker thread (scenario-threads.ts): TrafficFeed's day
 * batches, posted in day order, their row arrays transferred (not copied). It runs at most
 * `ahead` days ahead of the thread that detects, so memory holds a few days, never the run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TrafficFeed, type ScenarioParameters } from '@envelope/scenario';

export interface FeedWorkerData {
  readonly parameters: ScenarioParameters;
  /** Days it may post before the first "more". */
  readonly ahead: number;
}

export type FeedWorkerMessage = { readonly type: 'day'; readonly batch: import('@envelope/scenario').DayBatch } | { readonly type: 'facts'; readonly facts: import('@envelope/scenario').FeedFacts };

const port = parentPort;
if (!port) throw new Error('scenario-feed-worker runs in a worker thread');
const { parameters, ahead } = workerData as FeedWorkerData;
const feed = new TrafficFeed(parameters);
let credit = ahead;
let day = 0;

function produce(): void {
  while (credit > 0 && day < parameters.days) {
    credit--;
    const batch = feed.day(day++);
    port!.postMessage({ type: 'day', batch } satisfies FeedWorkerMessage, [batch.from.buffer, batch.to.buffer, batch.at.buffer, batch.flags.buffer]);
  }
  if (day === parameters.days) {
    port!.postMessage({ type: 'facts', facts: feed.facts() } satisfies FeedWorkerMessage);
    port!.close();
  }
}

port.on('message', (message: { type: 'more' }) => {
  if (message.type === 'more') {
    credit++;
    produce();
  }
});
produce();
