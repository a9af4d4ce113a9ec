/**
 * The Content-Security-Policy the server sends (server/http/security-headers.ts)
 * against the real built app in Chromium: the classroom (libsodium's
 * WebAssembly, keys, a chat, the X-ray, sealed sender) and the operator page
 * (live stream, graph, warrant answer and its export) run under it with no
 * violation. Each page records every `securitypolicyviolation` event from its
 * first script on; the fixture also fails the test on any console error, which
 * is where Chromium reports a blocked resource.
 */
import type { Page } from '@playwright/test';
import { expect, SCREENSHOT_DIR, test } from './fixtures.js';
import { addContact, join, message, send } from './steps.js';

declare global {
  interface Window {
    cspViolations?: string[];
  }
}

async function watchViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations!.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
}

const violations = (page: Page) => page.evaluate(() => window.cspViolations ?? ['the watcher did not run']);

test('the classroom and the operator page run under the policy with no violation', async ({ page, server }) => {
  await watchViolations(page);
  const response = await page.goto(server.url);
  // The policy is really in force: without it this test would prove nothing.
  expect(response!.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(response!.headers()['x-frame-options']).toBe('DENY');

  const alice = await join(page, 'alice');
  await page.getByTestId('add-participant').click();
  const bob = await join(page, 'bob');
  await addContact(alice, 'bob');
  await send(alice, 'under a strict policy');
  await expect(message(bob, 'under a strict policy')).toHaveAttribute('data-direction', 'received');
  await message(bob, 'under a strict policy').getByTestId('xray-button').click();
  await expect(bob.getByTestId('xray-dialog').getByTestId('xray-match')).toHaveAttribute('data-matches', 'true');
  expect(await violations(page)).toEqual([]);

  // The server's view in a second tab, while the classroom stays open (and connected).
  const operator = await page.context().newPage();
  await watchViolations(operator);
  await operator.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(operator.getByTestId('operator-page')).toBeVisible();
  await expect(operator.getByTestId('operator-connection')).toHaveAttribute('data-state', 'live');
  // Alice's message, and Bob's delivery receipt for it.
  await expect(operator.getByTestId('operator-envelope-row')).toHaveCount(2);
  // The accounts list shows what the server holds of each device's one-time keys: Alice's first message used one of Bob's.
  const bobsRow = operator.getByTestId('accounts-row').and(operator.locator('[data-username="bob"]'));
  await expect(bobsRow.getByTestId('accounts-one-time')).toHaveText('99');
  await expect(bobsRow.getByTestId('accounts-kem')).toHaveText('19');
  // Each live connection's address, and whether the server keeps it (by default it does not).
  await expect(bobsRow.getByTestId('accounts-address')).toContainText('127.0.0.1');
  await expect(operator.getByTestId('accounts-address-policy')).toContainText('Not stored');
  await operator.getByTestId('accounts-section').screenshot({ path: `${SCREENSHOT_DIR}/operator-accounts.png` });
  await operator.getByTestId('warrant-account').selectOption('alice');
  await operator.getByRole('button', { name: 'Request everything the server holds' }).click();
  await expect(operator.getByTestId('warrant-answer')).toHaveAttribute('data-account', 'alice');
  await expect(operator.getByTestId('warrant-addresses-not-stored')).toContainText('Not stored (setting off)');
  const [download] = await Promise.all([operator.waitForEvent('download'), operator.getByTestId('warrant-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^warrant-answer-alice/);
  expect(await violations(operator)).toEqual([]);

  await operator.getByRole('button', { name: 'Lock' }).click();
  await expect(operator.getByTestId('operator-token-request')).toBeVisible();
  // The classroom tab saw none either, the whole time.
  expect(await violations(page)).toEqual([]);
});
