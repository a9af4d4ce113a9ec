/**
 * The scenario's briefing (docs/scenario.md, "The briefing"): `npm run scenario` writes a small
 * briefing.html, and Chromium opens it as a file with every request blocked. Every chart must be
 * drawn, no console error (the fixture checks), and nothing but the file itself requested: the
 * briefing must work offline, and must not call anywhere when a reader opens it. No server.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from './fixtures.js';

const CHARTS = ['headline', 'recall', 'precision', 'false-positives', 'time-to-detection', 'privacy', 'workload', 'tornado', 'uk'];

test('the briefing opens offline with every chart drawn and requests nothing', async ({ page, context }) => {
  const out = await mkdtemp(join(tmpdir(), 'briefing-e2e-'));
  try {
    // A few hundred users over a few days, and a tornado at the same size: seconds, not minutes.
    await promisify(execFile)(
      join('node_modules', '.bin', 'tsx'),
      ['client/cli/scenario-main.ts', '--users', '600', '--days', '4', '--seed', '2', '--tornado-users', '600', '--tornado-days', '4', '--out', out],
      { timeout: 240_000 },
    );
    const file = pathToFileURL(join(out, 'briefing.html')).href;
    const attempted: string[] = [];
    await context.route('**/*', (route) => {
      attempted.push(route.request().url());
      return route.request().url() === file ? route.continue() : route.abort();
    });
    page.on('request', (request) => attempted.push(request.url()));
    await page.goto(file);

    await expect(page.getByRole('heading', { level: 1 })).toContainText('how much abuse is still found');
    for (const id of CHARTS) {
      const svg = page.locator(`figure#${id} svg`);
      await expect(svg, id).toHaveCount(1);
      // Drawn: the SVG has a size, and Vega's mark groups hold shapes or labels.
      const drawn = await svg.evaluate((el) => ({
        width: el.getBoundingClientRect().width,
        marks: el.querySelectorAll('g.role-mark > path, g.role-mark > text, g.role-mark > g').length,
      }));
      expect(drawn.width, id).toBeGreaterThan(100);
      expect(drawn.marks, id).toBeGreaterThan(0);
    }
    await expect(page.locator('script, link, iframe, img[src]')).toHaveCount(0);
    expect(new Set(attempted.filter((url) => url !== file))).toEqual(new Set());
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
