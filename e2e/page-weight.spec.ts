/**
 * A lighter page, kept light: the operator and agency pages load no script
 * that carries libsodium or the client core, and the scripts come compressed.
 * Every script a page fetches is read back and searched for a name only
 * libsodium's sumo build contains; the classroom, which needs it, is the
 * control that shows the marker would be found.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** A function name in libsodium's sumo build (ML-KEM-768, for PQXDH), never in the app's own code. */
const LIBSODIUM_MARKER = 'crypto_kem_mlkem768_keypair';

interface Script {
  url: string;
  encoding: string | undefined;
  /** null: the body could not be read (the page closed first); counted as a failure wherever it is checked. */
  hasLibsodium: boolean | null;
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
        hasLibsodium: await response.text().then(
          (text) => text.includes(LIBSODIUM_MARKER),
          () => null,
        ),
      }))(),
    );
  });
  return scripts;
}

test('the operator and agency pages load no libsodium; the classroom does; scripts arrive brotli-compressed', async ({ page, server }) => {
  await expect.poll(() => server.output()).toMatch(/agency page: \S+\n/);
  const agencyToken = server.output().match(/agency page: \S+#token=(\S+)/)![1]!;

  const operatorScripts = watchScripts(page);
  await page.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(page.getByTestId('operator-page')).toBeVisible();
  const operator = await Promise.all(operatorScripts);
  expect(operator.length).toBeGreaterThan(2);
  expect(operator.filter((script) => script.hasLibsodium !== false).map((script) => script.url)).toEqual([]);
  // Small files (under 1 KB) have no compressed copy; every larger script comes as brotli.
  expect(operator.filter((script) => script.encoding === 'br').length).toBeGreaterThan(2);

  const agencyPage = await page.context().newPage();
  const agencyScripts = watchScripts(agencyPage);
  await agencyPage.goto(`${server.url}/agency#token=${agencyToken}`);
  await expect(agencyPage.getByTestId('agency-page')).toBeVisible();
  expect((await Promise.all(agencyScripts)).filter((script) => script.hasLibsodium !== false).map((script) => script.url)).toEqual([]);

  // The control: the classroom needs libsodium, and the same search finds it.
  const classroomPage = await page.context().newPage();
  const classroomScripts = watchScripts(classroomPage);
  await classroomPage.goto(server.url);
  await expect(classroomPage.getByRole('heading', { level: 1, name: 'Envelope' })).toBeVisible();
  await expect.poll(async () => (await Promise.all(classroomScripts)).some((script) => script.hasLibsodium === true)).toBe(true);
});
