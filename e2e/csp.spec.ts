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

  await page.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(page.getByTestId('operator-page')).toBeVisible();
  await expect(page.getByTestId('operator-connection')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('operator-envelope-row')).toHaveCount(1);
  // The accounts list shows what the server holds of each device's one-time keys: Alice's first message used one of Bob's.
  const bobsRow = page.getByTestId('accounts-row').and(page.locator('[data-username="bob"]'));
  await expect(bobsRow.getByTestId('accounts-one-time')).toHaveText('99');
  await expect(bobsRow.getByTestId('accounts-kem')).toHaveText('19');
  await page.getByTestId('accounts-section').screenshot({ path: `${SCREENSHOT_DIR}/operator-accounts.png` });
  await page.getByTestId('warrant-account').selectOption('alice');
  await page.getByRole('button', { name: 'Request everything the server holds' }).click();
  await expect(page.getByTestId('warrant-answer')).toHaveAttribute('data-account', 'alice');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('warrant-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^warrant-answer-alice/);
  expect(await violations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByTestId('operator-token-request')).toBeVisible();
});
