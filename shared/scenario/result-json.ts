/**
 * The one way a result becomes result.json: the CLI writes these bytes to DIR/result.json and the
 * web app's scenario page offers the same bytes for download, so a run in the browser and one on
 * the command line with the same parameters can be compared byte for byte.
 */
import type { ScenarioResult } from './scoring.js';
import type { Tornado } from './tornado.js';

export function resultJson(result: ScenarioResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

/**
 * The result with its tornado (computed by the runner, after the main run), added last, as the
 * CLI adds it (`{ ...result, tornado }`): the page's result.json with its tornado is then the CLI's
 * byte for byte. A tornado already there is replaced, not repeated.
 */
export function withTornado(result: ScenarioResult, tornado: Tornado): ScenarioResult {
  const { tornado: _replaced, ...rest } = result;
  return { ...rest, tornado };
}
