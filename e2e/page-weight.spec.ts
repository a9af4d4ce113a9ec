/**
 * A lighter page, kept light: the operator and agency pages load no script
 * that carries libsodium or the client core, and the scripts come compressed.
 * Every script a page fetches is read back and searched for a name only
 * libsodium's sumo build contains; the classroom, which needs it, is the
 * control that shows the marker would be found. The same for the scenario
 * runner and Vega (the briefing's charts): only /scenario loads them (in its
 * Web Worker, when a run starts), and it is their control.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** A function name in libsodium's sumo build (ML-KEM-768, for PQXDH), never in the app's own code. */
const LIBSODIUM_MARKER = 'crypto_kem_mlkem768_keypair';
/** The result format's name, written by the scenario's scoring (shared/scenario/scoring.ts) and nothing else. */
const SCENARIO_MARKER = 'envelope-scenario/1';
/** Vega-Lite's schema address, in Vega-Lite's own code. */
const VEGA_MARKER = 'vega.github.io/schema/vega-lite';

interface Script {
  url: string;
  encoding: string | undefined;
  /** null: the body could not be read (the page closed first); counted as a failure wherever it is checked. */
  hasLibsodium: boolean | null;
  /** The same, for the scenario runner or Vega. */
  hasScenarioOrVega: boolean | null;
}

/** Records every script the page fetches, from navigation on. */
function watchScripts(page: Page): Promise<Script>[] {
  const scripts: Promise<Script>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    scripts.push(
      (async () => ({
        url: new URL(response.url()).pathname,
        encoding: await response.headerValue('content-encoding').then((value) => value ?? undefined),
        // A script that arrives as the test ends is never checked, and its read must not fail the test afterwards.
        ...(await response.text().then(
          (text) => ({ hasLibsodium: text.includes(LIBSODIUM_MARKER), hasScenarioOrVega: text.includes(SCENARIO_MARKER) || text.includes(VEGA_MARKER) }),
          () => ({ hasLibsodium: null, hasScenarioOrVega: null }),
        )),
      }))(),
    );
  });
  return scripts;
}

test('the operator and agency pages load no libsodium; the classroom does; only the scenario page loads the scenario runner and Vega; scripts arrive brotli-compressed', async ({ page, server }) => {
  await expect.poll(() => server.output()).toMatch(/agency page: \S+\n/);
  const agencyToken = server.output().match(/agency page: \S+#token=(\S+)/)![1]!;

  const operatorScripts = watchScripts(page);
  await page.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(page.getByTestId('operator-page')).toBeVisible();
  const operator = await Promise.all(operatorScripts);
  expect(operator.length).toBeGreaterThan(2);
  expect(operator.filter((script) => script.hasLibsodium !== false).map((script) => script.url)).toEqual([]);
  expect(operator.filter((script) => script.hasScenarioOrVega !== false).map((script) => script.url)).toEqual([]);
  // Small files (under 1 KB) have no compressed copy; every larger script comes as brotli.
  expect(operator.filter((script) => script.encoding === 'br').length).toBeGreaterThan(2);

  const agencyPage = await page.context().newPage();
  const agencyScripts = watchScripts(agencyPage);
  await agencyPage.goto(`${server.url}/agency#token=${agencyToken}`);
  await expect(agencyPage.getByTestId('agency-page')).toBeVisible();
  const agency = await Promise.all(agencyScripts);
  expect(agency.filter((script) => script.hasLibsodium !== false).map((script) => script.url)).toEqual([]);
  expect(agency.filter((script) => script.hasScenarioOrVega !== false).map((script) => script.url)).toEqual([]);

  // The control: the classroom needs libsodium, and the same search finds it.
  const classroomPage = await page.context().newPage();
  const classroomScripts = watchScripts(classroomPage);
  await classroomPage.goto(server.url);
  await expect(classroomPage.getByRole('heading', { level: 1, name: 'Envelope' })).toBeVisible();
  await expect.poll(async () => (await Promise.all(classroomScripts)).some((script) => script.hasLibsodium === true)).toBe(true);
  expect((await Promise.all(classroomScripts)).filter((script) => script.hasScenarioOrVega !== false).map((script) => script.url)).toEqual([]);

  // The scenario page loads neither libsodium nor the runner until a run starts; then its worker brings the runner and Vega.
  const scenarioPage = await page.context().newPage();
  const scenarioScripts = watchScripts(scenarioPage);
  await scenarioPage.goto(`${server.url}/scenario`);
  await expect(scenarioPage.getByRole('button', { name: 'Run the scenario' })).toBeVisible();
  const beforeRun = await Promise.all(scenarioScripts);
  expect(beforeRun.filter((script) => script.hasScenarioOrVega !== false || script.hasLibsodium !== false).map((script) => script.url)).toEqual([]);
  await scenarioPage.locator('#scenario-param-users').fill('300');
  await scenarioPage.locator('#scenario-param-days').fill('1');
  await scenarioPage.getByRole('button', { name: 'Run the scenario' }).click();
  await expect(scenarioPage.getByTestId('scenario-status')).toContainText('Done in');
  await expect.poll(async () => (await Promise.all(scenarioScripts)).some((script) => script.hasScenarioOrVega === true)).toBe(true);
  expect((await Promise.all(scenarioScripts)).filter((script) => script.hasLibsodium !== false).map((script) => script.url)).toEqual([]);
});
