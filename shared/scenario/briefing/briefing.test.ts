import { beforeAll, describe, expect, it } from 'vitest';
import { chartSvgs, computeTornado, renderBriefing, runScenario, type ScenarioResult } from '../index.js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { renameIds, specToSvg } from './svg.js';

const MAIN = { users: 400, days: 3, seed: 5 } as const;
const CHART_IDS = ['headline', 'recall', 'precision', 'false-positives', 'time-to-detection', 'privacy', 'workload', 'tornado', 'uk'];

let result: ScenarioResult;
beforeAll(() => {
  const main = runScenario(MAIN);
  // The tornado at a tiny size: its 26 runs take a few seconds.
  result = { ...main, tornado: computeTornado(MAIN, { users: 200, days: 2 }, (o) => runScenario(o)) };
});

describe('the briefing', () => {
  it('is the same bytes for the same result and run, and holds every chart, drawn, with ids unique on the page', async () => {
    const run = { seconds: 1.5, peakResidentMemoryMB: 120, node: 'v20' };
    const first = await renderBriefing(result, run);
    const second = await renderBriefing(result, run);
    expect(second).toBe(first);
    const charts = await chartSvgs(result);
    expect(charts.map((c) => c.id)).toEqual(CHART_IDS);
    for (const chart of charts) {
      expect(first, chart.id).toContain(`<figure id="${chart.id}" class="chart">`);
      expect(first).toContain(chart.svg);
      // Drawn: Vega wrote marks (bars, points, cells or labels) into the SVG.
      expect(chart.svg.match(/class="mark-(rect|symbol|text)[^"]*role-mark/g)?.length ?? 0, chart.id).toBeGreaterThan(0);
      // One image to a screen reader, named by what it shows.
      expect(chart.svg, chart.id).toMatch(/^<svg role="img" aria-label="[^"]{20,}" /);
    }
    const ids = [...first.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(first).not.toMatch(/<script|<link|src="http|href="http|@import/);
    expect(first).toContain('85-92%');
    expect(first).toContain('Ofcom');
  });

  it('renders each chart the same however many were rendered before it (Vega numbers clip paths from a counter)', async () => {
    const a = await chartSvgs(result);
    const b = await chartSvgs(result);
    expect(b).toEqual(a);
    // A clipped mark makes Vega define a clip path, numbered from a module-wide counter: raw, two renders differ.
    const clipped = { data: { values: [{ a: 'x', b: 1 }] }, mark: { type: 'bar', clip: true }, encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } } as TopLevelSpec;
    const raw = async () => new vega.View(vega.parse(compile(clipped).spec), { renderer: 'none' }).toSVG();
    expect(await raw()).not.toBe(await raw());
    const once = await specToSvg(clipped, 'chart-t');
    expect(await specToSvg(clipped, 'chart-t')).toBe(once);
    expect(once).toContain('id="chart-t-1"');
    expect(once).toContain('url(#chart-t-1)');
    expect(renameIds('<svg><clipPath id="clip7"/><g clip-path="url(#clip7)"/><use href="#clip7"/></svg>', 'chart-x')).toBe(
      '<svg><clipPath id="chart-x-1"/><g clip-path="url(#chart-x-1)"/><use href="#chart-x-1"/></svg>',
    );
  });

  it('escapes every string it puts into the HTML', async () => {
    const evil = '<script>alert("x")</script>&';
    const methods = result.methods.map((m) => (m.computed ? { ...m, privacy: { ...m.privacy, whatIsRead: evil } } : m));
    const parameters = { ...result.parameters, discoverability: { ...result.parameters.discoverability!, value: evil, isDefault: false } };
    const html = await renderBriefing({ ...result, methods, parameters, notYetModelled: [evil] }, { node: evil });
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
  });

  it('says so when the tornado was switched off, and draws no tornado chart', async () => {
    const { tornado: _dropped, ...without } = result;
    const html = await renderBriefing(without);
    expect((await chartSvgs(without)).map((c) => c.id)).toEqual(CHART_IDS.filter((id) => id !== 'tornado'));
    expect(html).toContain('The tornado was switched off');
  });
});
