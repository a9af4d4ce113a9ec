/**
 * The lawful-intercept console in a real Chromium against a real server
 * process, with real clients (the command-line client, in transport-only
 * mode): the agency opens the page with its own link, enters a warrant, a
 * message is sent to the target, and the page's queue shows its text.
 */
import { join } from 'node:path';
import { cli } from '@envelope/testkit/cli.js';
import { postJson, tempDataDir } from '@envelope/testkit/harness.js';
import { expect, SCREENSHOT_DIR, screenshot, test } from './fixtures.js';

const SECRET = 'meet me at the library at noon';

test('a warrant on the agency page: a message to the target arrives, and its text shows in the queue', async ({ page, server, consoleErrors }) => {
  // The server prints the agency page's link at start, after the lines the fixture waits for.
  await expect.poll(() => server.output()).toMatch(/agency page: \S+\n/);
  const agencyLink = server.output().match(/agency page: (\S+)/)![1]!;
  const switched = await postJson(`${server.url}/api/operator/policy`, { mode: 'transport-only' }, server.operatorToken);
  expect(switched.status).toBe(200);
  const profiles = tempDataDir();
  for (const name of ['alice', 'bob']) expect((await cli(server.url, join(profiles, name), 'register', name)).code).toBe(0);

  // The operator's link does not open the console.
  await page.goto(`${server.url}/agency#token=${server.operatorToken}`);
  await expect(page.getByTestId('agency-token-problem')).toContainText('refused');
  // The refusal is the server's 401, which Chromium logs: that one is expected, any other console error is not.
  const refusal = consoleErrors.findIndex((line) => line.includes('status of 401'));
  expect(refusal).toBeGreaterThanOrEqual(0);
  consoleErrors.splice(refusal, 1);

  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(agencyLink.replace(/^http:\/\/[^/]+/, server.url));
  await expect(page.getByTestId('agency-page')).toBeVisible();
  // That link changed only the fragment of the open tab (no reload): the token was taken from it and left the address bar.
  await expect.poll(() => new URL(page.url()).hash).toBe('');
  await expect(page.getByTestId('policy-banner')).toContainText('The server can read what you write');

  await page.getByTestId('warrant-target').fill('bob');
  await page.getByTestId('warrant-reference').fill('court order 2026-17');
  await page.getByTestId('warrant-submit').click();
  await expect(page.getByTestId('agency-queue-count')).toContainText('Nothing copied yet');

  const sent = await cli(server.url, join(profiles, 'alice'), 'send', 'bob', SECRET);
  expect(sent.code, sent.stderr).toBe(0);

  const queue = page.getByTestId('agency-queue-messages');
  await expect(queue).toContainText(SECRET);
  await expect(queue.getByTestId('agency-message').first()).toContainText('alice');
  await expect(page.getByTestId('agency-queue-count')).toContainText('1 message copied so far');
  await expect(page.getByTestId('audit-lines')).toContainText('court order 2026-17');
  // Handing the message over is an access, written once (the page asks only for what is new, not again on every poll).
  await expect(page.getByTestId('audit-lines')).toContainText('1 copied message handed over');
  await expect(page.getByTestId('audit-total')).toHaveText('2 lines in the log.');

  // What a projector shows first: the mode banner, the warrant and the queue beside it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(page.getByRole('heading', { name: /^Copied to the agency/ })).toBeInViewport();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/agency-queue-1280x720.png` });
  await screenshot(page, 'agency-page');
});
