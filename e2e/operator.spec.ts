/**
 * The operator page (/operator), against a real server process and real
 * clients (the command-line client, real keys and encryption): without the
 * token it shows only the request for one; with the start-up link it shows
 * the envelopes as they pass, the graph and a timeline, and the text people
 * typed appears nowhere in the page.
 */
import { join } from 'node:path';
import { cli } from '@envelope/testkit/cli.js';
import { tempDataDir } from '@envelope/testkit/harness.js';
import type { Page } from '@playwright/test';
import { expect, SCREENSHOT_DIR, screenshot, test } from './fixtures.js';

const SECRET = 'meet me behind the gym at four';
const SECOND_SECRET = 'bring the blue notebook';

async function run(serverUrl: string, profiles: string, name: string, ...args: string[]) {
  const result = await cli(serverUrl, join(profiles, name), ...args);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

/** Locks the page, as an operator would before leaving: the live stream stops, so the server's shutdown breaks no open request. */
async function lock(page: Page) {
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByTestId('operator-token-request')).toBeVisible();
}

test('without the token the operator page shows only a request for it, and refuses a wrong one', async ({ page, server, consoleErrors }) => {
  const profiles = tempDataDir();
  await run(server.url, profiles, 'alice', 'register', 'alice');

  await page.goto(`${server.url}/operator`);
  const request = page.getByTestId('operator-token-request');
  await expect(request).toBeVisible();
  await expect(request).toContainText('operator token');
  await expect(page.getByTestId('operator-page')).toHaveCount(0);
  await screenshot(page, 'operator-token-request');

  await page.getByTestId('operator-token-input').fill(`${server.url}/operator#token=not-the-right-token`);
  await page.getByRole('button', { name: 'Open the server’s view' }).click();
  await expect(page.getByTestId('operator-token-problem')).toContainText('refused');
  // The refusal is the server's 401, which Chromium logs for every failed request: that one is expected, any other is not.
  const refusal = consoleErrors.findIndex((line) => line.includes('status of 401'));
  expect(refusal).toBeGreaterThanOrEqual(0);
  consoleErrors.splice(refusal, 1);
  await expect(page.getByTestId('operator-page')).toHaveCount(0);
  // Nothing the server holds reached the page.
  const html = await page.content();
  expect(html).not.toContain('alice');
  expect(html).not.toContain('metadata_log');
  await screenshot(page, 'operator-token-refused');

  // Pasting the real link opens it.
  await page.getByTestId('operator-token-input').fill(`${server.url}/operator#token=${server.operatorToken}`);
  await page.getByRole('button', { name: 'Open the server’s view' }).click();
  await expect(page.getByTestId('operator-page')).toBeVisible();
  await expect(page.getByTestId('operator-graph-person').filter({ hasText: 'alice' })).toBeVisible();
  await expect(page.getByTestId('operator-no-envelopes')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/operator-before-any-message.png` });
  await lock(page);

  // The start-up link opened in this tab, already open (only the fragment changes, so no reload): it opens, and the token leaves the address bar.
  await page.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(page.getByTestId('operator-page')).toBeVisible();
  await expect.poll(() => new URL(page.url()).hash).toBe('');
  await lock(page);
});

test('with the start-up link it shows real envelopes live, and never the text typed', async ({ page, server }) => {
  const profiles = tempDataDir();
  await run(server.url, profiles, 'alice', 'register', 'alice');
  await run(server.url, profiles, 'bob', 'register', 'bob');
  await run(server.url, profiles, 'alice', 'send', 'bob', SECRET);

  await page.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(page.getByTestId('operator-page')).toBeVisible();
  // The token left the address bar at once (it would otherwise be projected).
  expect(new URL(page.url()).hash).toBe('');
  await expect(page.getByTestId('operator-connection')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('operator-no-plaintext')).toContainText('the server has none');

  const rows = page.getByTestId('operator-envelope-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('alice');
  await expect(rows.first()).toContainText('bob');
  await expect(rows.first()).toContainText('stored');

  // Live: a reply and its delivery appear without a reload, and Bob's app's receipt for
  // Alice's message is an envelope too, labelled as the app marked it.
  await run(server.url, profiles, 'bob', 'receive');
  await expect(rows.last()).toContainText('deleted');
  await run(server.url, profiles, 'bob', 'send', 'alice', SECOND_SECRET);
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText('stored');
  await expect(rows.first().locator('td').nth(1)).toHaveText('bob');
  const receipt = page.locator('[data-testid="operator-envelope-row"][data-receipt="true"]');
  await expect(receipt).toHaveCount(1);
  await expect(receipt).toContainText('delivery receipt');
  await expect(receipt.locator('td').nth(1)).toHaveText('bob');
  await page.getByTestId('operator-hide-receipts').check();
  await expect(rows).toHaveCount(2);
  await page.getByTestId('operator-hide-receipts').uncheck();
  await expect(rows).toHaveCount(3);

  // The graph, and a timeline opened from it by keyboard.
  const alice = page.getByTestId('operator-graph-person').and(page.locator('[data-username="alice"]'));
  await expect(alice).toContainText('1 sent · 1 received');
  await alice.focus();
  await page.keyboard.press('Enter');
  const timeline = page.getByTestId('operator-timeline');
  await expect(timeline).toHaveAttribute('data-username', 'alice');
  await expect(timeline).toContainText('sent 1 envelope to bob');
  await expect(timeline).toContainText('received 1 envelope from bob');
  await expect(timeline).toContainText('received 1 delivery receipt from bob');

  // A table row opens its sender's timeline with Enter too.
  await rows.first().focus();
  await page.keyboard.press('Enter');
  await expect(timeline).toHaveAttribute('data-username', 'bob');

  // Every stored field is listed.
  await expect(page.getByTestId('operator-schema')).toContainText('metadata_log');

  const html = await page.content();
  for (const secret of [SECRET, SECOND_SECRET]) {
    expect(html).not.toContain(secret);
    expect(html).not.toContain(Buffer.from(secret).toString('base64url').slice(0, 16));
  }

  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'operator-1440x900');
  // What the projector shows first, without scrolling.
  await page.screenshot({ path: `${SCREENSHOT_DIR}/operator-1440x900-first-screen.png` });
  await page.setViewportSize({ width: 1280, height: 720 });
  await screenshot(page, 'operator-1280x720');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/operator-1280x720-first-screen.png` });
  await page.getByTestId('operator-graph').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/operator-1280x720-graph.png` });
  await page.keyboard.press('Alt+L');
  await expect(page.locator('html')).toHaveClass(/large-text/);
  await screenshot(page, 'operator-large-text');
  await page.keyboard.press('Alt+L');
  await lock(page);
  // Locked means locked: a reload asks for the token again.
  await page.reload();
  await expect(page.getByTestId('operator-token-request')).toBeVisible();
});
