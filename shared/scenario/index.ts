/**
 * @envelope/scenario: a seeded synthetic population, its traffic, and the detection methods
 * scored on it (docs/scenario.md). Only runners import it: the CLI's `npm run scenario` and the web app's
 * scenario page (in a Web Worker). It imports the server's detectors; it never copies them.
 */
export { finishRun, runScenario, SYNTHETIC_TEXT, type RunOptions } from './run.js';
export { populationWithPlans, TrafficFeed, type DayBatch, type FeedFacts } from './feed.js';
export { Detection } from './detection.js';
export { resultJson, withTornado } from './result-json.js';
export { DEFAULTS, MAX_DAYS, MAX_USERS, PARAMETER_INFO, resolveParameters, ScenarioError, type Discoverability, type ParameterInfo, type ScenarioParameters } from './parameters.js';
export { accountName, CONFOUNDER_KINDS, DAY_MS, HARMS, ORDINARY_KINDS, RUN_START_MS, TRADER_KINDS, type Harm, type Population } from './population.js';
export type { GeneratedEvent } from './traffic.js';
export { IMAGE_KINDS, type ContentFacts, type ImageKind } from './content.js';
export type { Headline, HeadlineRow } from './headline.js';
export { BLIND_SPOT_RECALL, DETECTOR_TARGETS, scoreRun, type BlindSpots, type ComputedMethod, type Detections, type PendingMethod, type PrivacyCost, type RunFacts, type Score, type ScenarioResult } from './scoring.js';
export { reviewerWorkload, thousands, ukScale, type ReviewerWorkload, type UkScale, type UkScaledRow } from './workload.js';
export { assembleTornado, computeTornado, headlineFigure, TORNADO_CANDIDATES, TORNADO_DEFAULT_SIZE, TORNADO_FIGURE, TORNADO_KEEP, tornadoPlan, tornadoSize, type Tornado, type TornadoBar, type TornadoCandidate, type TornadoRun, type TornadoSize } from './tornado.js';
export { HARM_NAMES, METHOD_NAMES } from './briefing/labels.js';
export { chartSvgs, esc, NCA_KEPT, NCMEC_KEPT, renderBriefing, type BriefingRunInfo, type Chart } from './briefing/index.js';
