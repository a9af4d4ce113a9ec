/**
 * The scenario page (/scenario): the scenario runs in the browser (a Web Worker) and shows the
 * same figures as @envelope/scenario computes here in Node for the same parameters; result.json
 * downloaded from the page is byte for byte what the CLI writes. Progress, Cancel, bad input,
 * the prevalence slider (checked against the formula, from the Node run's own counts), no console
 * error (the fixture) and no serious axe violation.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { chartSvgs, computeTornado, ORDINARY_KINDS, renderBriefing, resultJson, runScenario, tornadoPlan, withTornado, type ComputedMethod, type ScenarioResult } from '@envelope/scenario';
import { expect, screenshot, test } from './fixtures.js';

/** Small enough to run in a second, large enough to hold offenders of four harms (seed 1). */
const SMALL = { users: 1000, days: 3, seed: 1 } as const;

/**
 * Coordinates to 12 significant digits: on a log scale the browser's and Node's Math can differ in
 * the last digit of a double (53.4787216348109 against 53.47872163481092), a ten-billionth of a pixel.
 */
const sameDrawing = (svg: string): string => svg.replace(/\d+\.\d+/g, (x) => String(Number(Number(x).toPrecision(12))));

async function setField(page: Page, key: string, value: string): Promise<void> {
  await page.locator(`#scenario-param-${key}`).fill(value);
}

async function seriousAxeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'region')
    .map((v) => `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}: ${v.help}`);
}

test('a run in the browser shows the package’s figures for the same seed; result.json is the CLI’s bytes, with the tornado too; the prevalence slider follows the formula', async ({ page, server }) => {
  const expected: ScenarioResult = runScenario(SMALL);
  await page.setViewportSize({ width: 1280, height: 720 });
  // The page itself runs under the server's Content-Security-Policy with no violation (the worker's refusal of Vega's code is the charts test's).
  await page.addInitScript(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (event) => (window as unknown as { violations: string[] }).violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.goto(`${server.url}/scenario`);
  await expect(page.getByRole('heading', { level: 1, name: /The scenario/ })).toBeVisible();
  // Each field shows its default and its provenance.
  await expect(page.getByTestId('param-victimReportProbability')).toContainText('Default: 0.5.');
  await expect(page.getByTestId('param-victimReportProbability')).toContainText('Sourced (stated directly)');
  await expect(page.getByTestId('param-minorShare')).toContainText('Assumed');
  expect(await seriousAxeViolations(page), 'axe on the form').toEqual([]);

  await setField(page, 'users', String(SMALL.users));
  await setField(page, 'days', String(SMALL.days));
  await setField(page, 'seed', String(SMALL.seed));
  await page.getByTestId('scenario-run').click();
  await expect(page.getByTestId('scenario-status')).toContainText('Done in');
  await expect(page.getByTestId('scenario-status')).toContainText(`${expected.traffic.envelopes.toLocaleString('en-GB')} envelopes`);
  await expect(page.getByTestId('scenario-ran-with')).toHaveText('The figures below are for: 1,000 accounts, 3 days, seed 1; every other parameter at its default.');

  // The bytes: what the page offers is what the CLI would write (resultJson) for the same parameters.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  expect(download.suggestedFilename()).toBe('result.json');
  const downloaded = await readFile((await download.path())!, 'utf8');
  expect(downloaded).toBe(resultJson(expected));

  // The tables read the same figures.
  await expect(page.getByTestId('content-access-offenders')).toHaveText(String(expected.headline.contentAccessOffendersReferred));
  for (const row of expected.headline.rows) {
    await expect(page.getByTestId(`headline-${row.method}`).locator('td').first()).toHaveText(String(row.offendersReferred));
  }
  for (const method of expected.methods as ComputedMethod[]) {
    await expect(page.getByTestId(`cost-${method.id}`).getByTestId('false-positives')).toContainText(`${method.score.falsePositives} (`);
  }
  const sextortion = expected.methods[0] as ComputedMethod;
  await expect(page.getByTestId('recall-table-sextortion').locator('td').first()).toContainText(
    `${sextortion.score.perHarm.sextortion.detected} of ${sextortion.score.perHarm.sextortion.actors}`,
  );
  for (const row of expected.ukScaled.rows) {
    await expect(page.getByTestId(`workload-${row.method}`).locator('td').nth(3)).toHaveText(row.falsePositives.toLocaleString('en-GB'));
  }
  await expect(page.getByTestId('scenario-estimates')).toContainText('85-92%');
  await expect(page.getByTestId('scenario-estimates')).toContainText('70%');

  // The slider: at the run's prevalence, the run's precision; higher prevalence, higher precision, by the formula.
  const offenders = Object.values(expected.population.activeActors).reduce((a, b) => a + b, 0);
  const innocent = ORDINARY_KINDS.reduce((a, k) => a + (expected.population.byKind[k] ?? 0), 0);
  const content = expected.methods.find((m) => m.id === 'content-classifier') as ComputedMethod;
  const row = page.getByTestId('prevalence-content-classifier');
  const precisionShown = async () => Number(await row.getAttribute('data-precision'));
  expect(await precisionShown()).toBeCloseTo(content.score.truePositives / content.score.flagged, 12);
  const before = await precisionShown();
  const slider = page.getByRole('slider', { name: 'Prevalence of offenders' });
  await slider.focus();
  for (let i = 0; i < 10; i++) await slider.press('ArrowRight');
  const prevalence = Number(await page.getByTestId('prevalence-value').getAttribute('data-prevalence'));
  expect(prevalence).toBeGreaterThan(offenders / (offenders + innocent));
  const recall = content.score.truePositives / offenders;
  const fpr = content.score.falsePositives / innocent;
  const formula = (recall * prevalence) / (recall * prevalence + fpr * (1 - prevalence));
  expect(await precisionShown()).toBeCloseTo(formula, 12);
  expect(await precisionShown()).toBeGreaterThan(before);
  for (let i = 0; i < 30; i++) await slider.press('ArrowLeft');
  expect(await precisionShown()).toBeLessThan(before);
  await expect(page.getByTestId('prevalence')).toContainText('This is a recomputation, not a new run.');

  expect(await seriousAxeViolations(page), 'axe on the results').toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
  await page.getByTestId('scenario-results').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/scenario-results-1280.png' });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'test-results/screens/scenario-top-1280.png' });
  await screenshot(page, 'scenario-page');

  // The tornado: its runs in a second worker, with progress; then result.json holds it, as computeTornado gives it in Node.
  await page.getByTestId('tornado-run').click();
  await expect(page.getByRole('progressbar', { name: 'Tornado runs done' })).toBeVisible();
  await expect(page.getByTestId('tornado-status')).toContainText('Done');
  const withIt = withTornado(expected, computeTornado(SMALL, {}, (overrides) => runScenario(overrides)));
  await expect(page.getByTestId('tornado-table').locator('tbody tr')).toHaveCount(withIt.tornado!.bars.length + withIt.tornado!.others.length);
  const [again] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  expect(await readFile((await again.path())!, 'utf8')).toBe(resultJson(withIt));
  expect(await seriousAxeViolations(page), 'axe with the tornado').toEqual([]);
  await page.getByTestId('tornado').screenshot({ path: 'test-results/screens/scenario-tornado.png' });
});

test('the classroom and the server’s view link to it; bad input gets a plain message and runs nothing; a run shows its progress and Cancel stops its worker', async ({ page, server }) => {
  await page.goto(server.url);
  await expect(page.getByRole('link', { name: 'The scenario' })).toHaveAttribute('href', '/scenario');
  await page.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(page.getByTestId('operator-page').getByRole('link', { name: 'The scenario' })).toHaveAttribute('href', '/scenario');
  await page.goto(`${server.url}/scenario`);
  await setField(page, 'users', '5');
  await setField(page, 'sealedSenderShare', 'half');
  await page.getByTestId('scenario-run').click();
  const errors = page.getByTestId('scenario-errors');
  await expect(errors).toContainText('Nothing was run.');
  await expect(errors).toContainText('Share of accounts using sealed sender must be a number, such as 0; “half” is not one.');
  await expect(page.locator('#scenario-param-sealedSenderShare')).toHaveAttribute('aria-invalid', 'true');
  await setField(page, 'sealedSenderShare', '0.5');
  await page.getByTestId('scenario-run').click();
  await expect(errors).toContainText('Accounts must be a whole number from 100 to 20,000 in the browser, not 5.');
  await setField(page, 'users', '20000');
  await setField(page, 'days', '30');
  await page.getByTestId('scenario-run').click();
  await expect(errors).toContainText('accounts × days may be at most 300,000');
  // A folded parameter's error opens its section again, so the message is seen.
  await setField(page, 'days', '14');
  const more = page.getByText(/^All other parameters/);
  await more.click();
  await page.locator('#scenario-param-hashRecall').fill('2');
  await more.click();
  await expect(page.locator('#scenario-param-hashRecall')).toBeHidden();
  await page.getByTestId('scenario-run').click();
  await expect(errors).toContainText('Hash recall must be a share from 0 to 1, not 2.');
  await expect(page.locator('#scenario-param-hashRecall')).toBeVisible();
  expect(page.workers()).toEqual([]);

  await page.locator('#scenario-param-hashRecall').fill('0.98');
  await page.getByTestId('scenario-run').click();
  const progress = page.getByRole('progressbar', { name: 'Simulated days done' });
  await expect(progress).toHaveAttribute('aria-valuemax', '14');
  await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('scenario-status')).toContainText('Running');
  await page.getByTestId('scenario-cancel').click();
  await expect(page.getByTestId('scenario-status')).toContainText(/Cancelled after day \d+ of 14\. Nothing was kept\./);
  await expect(progress).toHaveCount(0);
  await expect.poll(() => page.workers().length).toBe(0);
  await expect(page.getByTestId('scenario-results')).toHaveCount(0);
  await expect(page.getByTestId('scenario-run')).toBeEnabled();

  // The tornado's Cancel stops its own worker and keeps the run's figures.
  await setField(page, 'users', '2000');
  await setField(page, 'days', '3');
  await page.getByTestId('scenario-run').click();
  await expect(page.getByTestId('scenario-status')).toContainText('Done in');
  await page.getByTestId('tornado-run').click();
  const tornadoProgress = page.getByRole('progressbar', { name: 'Tornado runs done' });
  await expect.poll(async () => Number(await tornadoProgress.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(1);
  await page.getByTestId('tornado-cancel').click();
  const runs = tornadoPlan(SMALL).length;
  await expect(page.getByTestId('tornado-status')).toContainText(new RegExp(`Cancelled after \\d+ of ${runs} runs\\. Nothing was kept\\.`));
  await expect(page.getByTestId('tornado-table')).toHaveCount(0);
  await expect(page.getByTestId('scenario-results')).toBeVisible();
  // The run's own worker stays (it draws the charts and writes the briefing); the tornado's is gone.
  await expect.poll(() => page.workers().length).toBe(1);
});

/**
 * The page's Content-Security-Policy refuses 'unsafe-eval' (in the worker too), so this also proves
 * the briefing's renderer draws with Vega's interpreter rather than Function().
 */
test('the charts are the SVGs chartSvgs draws in Node, and the briefing downloaded is the file renderBriefing writes', async ({ page, server }) => {
  const expected: ScenarioResult = runScenario(SMALL);
  await page.goto(`${server.url}/scenario`);
  await setField(page, 'users', String(SMALL.users));
  await setField(page, 'days', String(SMALL.days));
  await setField(page, 'seed', String(SMALL.seed));
  await page.getByTestId('scenario-run').click();
  await expect(page.getByTestId('scenario-status')).toContainText('Done in');
  // The charts: the same SVGs chartSvgs draws in Node, each a figure named by its caption.
  const charts = await chartSvgs(expected);
  await expect(page.getByTestId('scenario-charts').locator('figure')).toHaveCount(charts.length);
  for (const chart of charts) {
    const figure = page.getByRole('figure', { name: chart.title, exact: true });
    await expect(figure).toBeVisible();
    const src = await figure.locator('img').getAttribute('src');
    expect(sameDrawing(decodeURIComponent(src!.slice(src!.indexOf(',') + 1))), `chart ${chart.id}`).toBe(sameDrawing(chart.svg));
  }

  // The briefing: written in the worker, the same file renderBriefing writes in Node for this result.
  const [briefing] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-briefing').click()]);
  expect(briefing.suggestedFilename()).toBe('briefing.html');
  expect(sameDrawing(await readFile((await briefing.path())!, 'utf8'))).toBe(sameDrawing(await renderBriefing(expected)));

  expect(await seriousAxeViolations(page), 'axe with the charts').toEqual([]);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByTestId('chart-headline').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/scenario-charts-1280.png' });
});
