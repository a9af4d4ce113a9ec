/**
 * A Vega-Lite spec to a standalone SVG string: compiled by Vega-Lite, rendered by Vega with no
 * canvas and no DOM (renderer 'none'), so it runs the same in Node and in a browser.
 *
 * Vega numbers the clip paths and gradients it defines from a counter that lives as long as the
 * module, so the second chart rendered in a process gets other ids than the first, and two charts
 * on one page could share one. Each SVG's ids are renamed in order of appearance under the
 * chart's own prefix: the same spec gives the same bytes, and ids never collide on the page.
 *
 * Expressions (scales' labels, formats) are evaluated by Vega's own interpreter, not compiled
 * with `Function()` as Vega does by default: the web app's Content-Security-Policy refuses
 * `unsafe-eval`, and one renderer for Node and the browser keeps the page's charts the CLI's.
 */
import * as vega from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Brings every id in `svg` (and what points at it) under `prefix`, numbered in order of appearance. */
export function renameIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const match of svg.matchAll(/\sid="([^"]+)"/g)) if (!ids.has(match[1]!)) ids.set(match[1]!, `${prefix}-${ids.size + 1}`);
  if (ids.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_m, head: string, id: string) => `${head}${ids.get(id) ?? id}"`)
    .replace(/url\(#([^)]+)\)/g, (m, id: string) => (ids.has(id) ? `url(#${ids.get(id)!})` : m))
    .replace(/(href=")#([^"]+)"/g, (m, head: string, id: string) => (ids.has(id) ? `${head}#${ids.get(id)!}"` : m));
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The chart as one image for a screen reader, named by the spec's description (Vega's SVG has no name of its own). */
function named(svg: string, description: string | undefined): string {
  if (!description) return svg;
  const label = description.replace(/[&<>"']/g, (c) => ATTRIBUTE_ESCAPES[c]!);
  return svg.replace(/^<svg /, `<svg role="img" aria-label="${label}" `);
}

export async function specToSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const runtime = vega.parse(compile(spec).spec, undefined, { ast: true });
  const view = new vega.View(runtime, { renderer: 'none', expr: expressionInterpreter });
  try {
    return named(renameIds(await view.toSVG(), idPrefix), spec.description);
  } finally {
    view.finalize();
  }
}
