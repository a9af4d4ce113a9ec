/**
 * The warrant request on the operator page, against a real server process and
 * real clients (the command-line client, real keys and encryption): the
 * operator picks an account, gets everything the server holds about it, ending
 * with what it could not provide, and exports it as a document. The text people
 * typed appears nowhere: not in the page, not in the document.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '@envelope/testkit/cli.js';
import { tempDataDir } from '@envelope/testkit/harness.js';
import { expect, SCREENSHOT_DIR, screenshot, test } from './fixtures.js';

const CANARY = 'canary: the parcel is under the third bench';
const REPLY_CANARY = 'canary reply: see you at noon';

async function run(serverUrl: string, profiles: string, name: string, ...args: string[]) {
  const result = await cli(serverUrl, join(profiles, name), ...args);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

/** The canary as the page or file could hold it: plain, and the start of its base64url and hex forms. */
function forms(secret: string): string[] {
  const bytes = Buffer.from(secret);
  return [secret, bytes.toString('base64url').slice(0, 16), bytes.toString('base64').slice(0, 16), bytes.toString('hex').slice(0, 16)];
}

test('the operator answers a warrant request for one account, and the answer holds no message text', async ({ page, server }) => {
  const profiles = tempDataDir();
  await run(server.url, profiles, 'alice', 'register', 'alice');
  await run(server.url, profiles, 'bob', 'register', 'bob');
  await run(server.url, profiles, 'bob', 'send', 'alice', REPLY_CANARY);
  await run(server.url, profiles, 'alice', 'receive');
  // Bob stays offline, so Alice's message waits in his mailbox: the server holds its ciphertext.
  await run(server.url, profiles, 'alice', 'send', 'bob', CANARY);

  await page.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(page.getByTestId('operator-page')).toBeVisible();
  const section = page.getByTestId('warrant-section');
  await expect(section).toContainText('Warrant request');
  await expect(section).toContainText('327 arrests');

  const account = page.getByTestId('warrant-account');
  await expect(account.locator('option', { hasText: 'alice' })).toHaveCount(1);
  await account.selectOption('alice');
  await page.getByRole('button', { name: 'Request everything the server holds' }).click();

  const answer = page.getByTestId('warrant-answer');
  await expect(answer).toHaveAttribute('data-account', 'alice');
  await expect(page.getByTestId('warrant-contact').and(page.locator('[data-username="bob"]'))).toContainText('1');
  // Waiting in Bob's mailbox: Alice's message, and the receipt her app sent for his.
  await expect(page.getByTestId('warrant-sent-waiting')).toContainText('2 envelopes in all');
  await expect(page.getByTestId('warrant-timeline')).toContainText('sent to (delivery receipt)');
  await expect(page.getByTestId('warrant-waiting')).toContainText('0 envelopes in all');
  const notProvided = page.getByTestId('warrant-not-provided');
  await expect(notProvided).toContainText('What the server could not provide');
  await expect(notProvided).toContainText('The content of any message');
  await expect(notProvided).toContainText('encrypted end to end');

  const html = await page.content();
  for (const secret of [CANARY, REPLY_CANARY]) for (const form of forms(secret)) expect(html).not.toContain(form);

  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'operator-warrant');
  await section.screenshot({ path: `${SCREENSHOT_DIR}/operator-warrant-section.png` });

  // The export: one self-contained file, built in the browser from the answer on screen.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('warrant-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^warrant-answer-alice-\d{4}-\d{2}-\d{2}\.html$/);
  const file = join(tempDataDir(), download.suggestedFilename());
  await download.saveAs(file);
  const document = readFileSync(file, 'utf8');
  expect(document).toContain('What the server could not provide');
  expect(document).not.toMatch(/<script|src=|href=/i);
  for (const secret of [CANARY, REPLY_CANARY]) for (const form of forms(secret)) expect(document).not.toContain(form);

  // The document as a reader opens it.
  const reader = await page.context().newPage();
  await reader.goto(`file://${file}`);
  await expect(reader.locator('#not-provided')).toContainText('The content of any message');
  await screenshot(reader, 'warrant-document');
  await reader.close();

  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByTestId('operator-token-request')).toBeVisible();
});
