/**
 * The one way a result becomes result.json: the CLI writes these bytes to DIR/result.json and the
 * web app's scenario page offers the same bytes for download, so a run in the browser and one on
 * the command line with the same parameters can be compared byte for byte.
 */
import type { ScenarioResult } from './scoring.js';

export function resultJson(result: ScenarioResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
