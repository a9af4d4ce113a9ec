/**
 * The metadata signals on the operator page, against a real server process and
 * real clients (the command-line client, real keys and encryption): an account
 * that declared itself adult opens conversations with accounts that declared
 * minors' age bands; the operator sees it flagged with the envelopes behind
 * the flag and what the check cannot know, clicks the name and gets that
 * person's timeline. A further contact made while the page is open appears
 * without Refresh. The text people typed appears nowhere on the page.
 */
import { join } from 'node:path';
import { cli } from '@envelope/testkit/cli.js';
import { tempDataDir } from '@envelope/testkit/harness.js';
import { expect, SCREENSHOT_DIR, screenshot, test } from './fixtures.js';

const CANARY = 'canary: meet me after school, do not tell anyone';

async function run(serverUrl: string, profiles: string, name: string, ...args: string[]) {
  const result = await cli(serverUrl, join(profiles, name), ...args);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

test('the operator sees an adult flagged for contacting declared minors, with evidence, and opens their timeline', async ({ page, server }) => {
  const profiles = tempDataDir();
  await run(server.url, profiles, 'grown-up', 'register', 'grown-up', '--age-band', 'adult');
  const minors = [
    ['kid-a', '13-15'],
    ['kid-b', 'under-13'],
    ['kid-c', '16-17'],
  ] as const;
  for (const [name, band] of minors) await run(server.url, profiles, name, 'register', name, '--age-band', band);
  await run(server.url, profiles, 'friend', 'register', 'friend', '--age-band', 'adult');
  for (const [name] of minors) await run(server.url, profiles, 'grown-up', 'send', name, CANARY);
  // A benign pair: an adult writing to another adult and getting a reply.
  await run(server.url, profiles, 'friend', 'send', 'grown-up', 'hello');

  await page.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(page.getByTestId('operator-page')).toBeVisible();
  const section = page.getByTestId('signals-section');
  await expect(section).toContainText('What the server can flag from metadata alone');
  await expect(section).toContainText('will “rarely, if ever”');

  const card = section.locator('[data-detector="cross-age-band"]');
  await expect(card).toContainText('Contact across declared age bands');
  await expect(card).toContainText('What it cannot know');
  const flagged = card.getByTestId('signals-flagged');
  await expect(flagged).toHaveCount(1);
  await expect(flagged).toHaveAttribute('data-username', 'grown-up');
  await expect(flagged).toContainText('opened conversations with 3 accounts');
  // The parameters are folded until asked for.
  await expect(card.locator('.signals-parameters')).not.toHaveAttribute('open', '');

  await flagged.getByRole('button', { name: /Show evidence/ }).click();
  await expect(flagged.getByTestId('signals-evidence').locator('li')).toHaveCount(3);

  // A fourth declared minor contacted while the page is open: the card follows the live stream.
  await run(server.url, profiles, 'kid-d', 'register', 'kid-d', '--age-band', '13-15');
  await run(server.url, profiles, 'grown-up', 'send', 'kid-d', CANARY);
  await expect(flagged).toContainText('opened conversations with 4 accounts');

  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: `${SCREENSHOT_DIR}/operator-signals-section.png` });

  await flagged.getByRole('button', { name: 'grown-up' }).click();
  const timeline = page.getByTestId('operator-timeline');
  await expect(timeline).toHaveAttribute('data-username', 'grown-up');
  await expect(timeline).toContainText('kid-a');
  await screenshot(page, 'operator-signals');

  const html = await page.content();
  expect(html).not.toContain(CANARY);
  expect(html).not.toContain(Buffer.from(CANARY).toString('base64url').slice(0, 16));

  // Locking stops the live stream before the server stops (a broken stream would be a console error).
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByTestId('operator-token-request')).toBeVisible();
});
