/**
 * Runs the scenario: day by day, the generated traffic becomes metadata-log rows in time order
 * (sealed where Envelope would seal it, numbered as the server numbers them; feed.ts) and goes
 * through the server's own SignalsService and detectors, and reports through its report path
 * (detection.ts). Only a day (and what runs past its midnight) is held at once, as rows in typed
 * arrays; the detectors keep their own bounded state.
 *
 * This runs both halves in one thread, anywhere (no Node API). A runner with threads may run
 * TrafficFeed in another and hand its batches over (the CLI does): `finishRun` then scores the two
 * halves' facts exactly as here.
 */
import type { Detector, MetadataEvent } from '@envelope/server/domain/signals/detector.js';
import type { ReportRecord } from '@envelope/server/storage/reports-repo.js';
import type { GeneratedEvent } from './traffic.js';
import { resolveParameters, type ScenarioParameters } from './parameters.js';
import { Detection, type DetectionFacts } from './detection.js';
import { TrafficFeed, type FeedFacts } from './feed.js';
import type { Population } from './population.js';
import { scoreRun, type RunFacts, type ScenarioResult } from './scoring.js';

export { SYNTHETIC_TEXT } from './feed.js';

export interface RunOptions {
  /** Called after each simulated day (for a progress line and memory sampling). */
  readonly onDay?: (day: number, days: number) => void;
  /** The detectors to run: the server's own by default (a test passes a spy around them). */
  readonly makeDetectors?: () => Detector[];
  /** Sees the run's raw facts (who each method flagged, and when) before scoring: for tests. */
  readonly onFacts?: (facts: RunFacts, kindOf: (id: number) => string) => void;
  /**
   * For the live run (client/cli/scenario-live.ts), which replays this run through the real relay: the
   * population once it is built (sign-up times included), each envelope as generated beside the row this
   * run fed the detectors, and each report as filed. Called in the order of the run.
   */
  readonly onPopulation?: (pop: Population) => void;
  readonly onEnvelope?: (event: GeneratedEvent, row: MetadataEvent) => void;
  readonly onReport?: (report: ReportRecord) => void;
}

export function runScenario(overrides: Partial<ScenarioParameters> = {}, options: RunOptions = {}): ScenarioResult {
  const p = resolveParameters(overrides);
  const feed = new TrafficFeed(p, options.onEnvelope !== undefined);
  options.onPopulation?.(feed.pop);
  const detection = new Detection(feed.pop, p, options.makeDetectors, options);
  for (let day = 0; day < p.days; day++) {
    detection.day(feed.day(day));
    options.onDay?.(day + 1, p.days);
  }
  return finishRun(p, feed.pop, feed.facts(), detection.facts(), options);
}

/** Scores a run from its two halves' facts (`pop`: either half's population; they are the same). */
export function finishRun(p: ScenarioParameters, pop: Population, feed: FeedFacts, detection: DetectionFacts, options: Pick<RunOptions, 'onFacts'> = {}): ScenarioResult {
  const facts: RunFacts = {
    detections: detection.detections,
    harmStart: feed.harmStart,
    contacted: feed.contacted,
    envelopes: feed.envelopes,
    sealed: feed.sealed,
    reportsFiled: feed.reportsFiled,
    reportsOfSealed: feed.reportsOfSealed,
    content: { ...feed.content, targeted: detection.targeted },
  };
  options.onFacts?.(facts, (id) => pop.kind[id]!);
  return scoreRun(p, pop, facts);
}
