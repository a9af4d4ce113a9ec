/**
 * @envelope/scenario: a seeded synthetic population, its traffic, and the detection methods
 * scored on it (docs/scenario.md). Only runners import it: the CLI's `npm run scenario` today,
 * later a page of the web app. It imports the server's detectors; it never copies them.
 */
export { finishRun, runScenario, SYNTHETIC_TEXT, type RunOptions } from './run.js';
export { populationWithPlans, TrafficFeed, type DayBatch, type FeedFacts } from './feed.js';
export { Detection } from './detection.js';
export { DEFAULTS, MAX_DAYS, MAX_USERS, PARAMETER_INFO, resolveParameters, ScenarioError, type Discoverability, type ParameterInfo, type ScenarioParameters } from './parameters.js';
export { accountName, CONFOUNDER_KINDS, DAY_MS, HARMS, RUN_START_MS, TRADER_KINDS, type Harm, type Population } from './population.js';
export type { GeneratedEvent } from './traffic.js';
export { IMAGE_KINDS, type ContentFacts, type ImageKind } from './content.js';
export type { Headline, HeadlineRow } from './headline.js';
export { DETECTOR_TARGETS, scoreRun, type ComputedMethod, type Detections, type PendingMethod, type PrivacyCost, type RunFacts, type Score, type ScenarioResult } from './scoring.js';
