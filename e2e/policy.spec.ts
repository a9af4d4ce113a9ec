/**
 * The policy switch, end to end (real server process, real SQLite, real
 * Chromium): the operator switches to transport-only through the page's
 * confirmation; the banner appears on the classroom page and the operator
 * page; a message Alice sends Bob shows as readable in the classroom, its
 * X-ray says the server holds the message itself, and the operator page
 * shows its text beside the metadata, flagged by a scanner rule. Switching
 * back: a new message is protected again and its text appears nowhere on the
 * operator page. Screenshots at a projector's 1280x720.
 */
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures.js';
import { addContact, join, message, send } from './steps.js';

const READABLE = 'meet me behind the gym at four';
const PROTECTED = 'the blue notebook is under the stairs';

/** Picks a mode on the operator page and confirms it; focus comes back to the mode list. */
async function switchTo(operator: Page, mode: 'transport-only' | 'e2ee', expectInDialog: string | RegExp, screenshotName: string) {
  const control = operator.getByTestId(`policy-mode-${mode}`).getByRole('radio');
  await control.check();
  await operator.getByTestId('policy-change').click();
  const dialog = operator.getByTestId('policy-confirm');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(expectInDialog);
  await expect(dialog).toContainText('In reality a mode is a different app');
  await operator.screenshot({ path: `test-results/screens/${screenshotName}.png` });
  await dialog.getByTestId('policy-confirm-yes').click();
  await expect(dialog).toHaveCount(0);
  await expect(control).toBeFocused();
  await expect(control).toBeChecked();
}

test('the operator switches to transport-only and back: banners, readable text and flags, then protected again', async ({ page, context, server, consoleErrors }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(server.url);
  await expect(page.getByTestId('policy-line')).toContainText('End-to-end encrypted');
  const alice = await join(page, 'alice');
  await page.getByTestId('add-participant').click();
  const bob = await join(page, 'bob');

  const operator = await context.newPage();
  await operator.setViewportSize({ width: 1280, height: 720 });
  await operator.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(operator.getByTestId('operator-connection')).toHaveAttribute('data-state', 'live');
  await expect(operator.getByTestId('policy-line')).toBeVisible();
  await expect(operator.getByTestId('policy-banner')).toHaveCount(0);

  // A scanner rule, added on the page; a broken pattern is refused with the server's reason.
  const scanner = operator.getByTestId('scanner-section');
  await scanner.getByTestId('scanner-add-kind').selectOption('pattern');
  await scanner.getByTestId('scanner-add-pattern').fill('(unclosed');
  await scanner.getByTestId('scanner-add-label').fill('broken');
  await scanner.getByTestId('scanner-add-submit').click();
  await expect(scanner.getByTestId('scanner-add-error')).toContainText('refused');
  // Chromium logs the refusal (a 400) as a failed request: that one is expected, any other is not.
  const refusal = consoleErrors.findIndex((line) => line.includes('status of 400'));
  expect(refusal).toBeGreaterThanOrEqual(0);
  consoleErrors.splice(refusal, 1);
  await scanner.getByTestId('scanner-add-kind').selectOption('word');
  await scanner.getByTestId('scanner-add-pattern').fill('gym');
  await scanner.getByTestId('scanner-add-label').fill('meeting place');
  await scanner.getByTestId('scanner-add-submit').click();
  await expect(scanner.getByTestId('scanner-rule').filter({ hasText: 'meeting place' })).toBeVisible();

  await switchTo(operator, 'transport-only', 'From now on, everyone’s new messages are readable by this server: it keeps their text.', 'policy-confirm-transport-only-1280x720');
  // The banner, on both pages, live; each page's status region said the change once.
  await expect(operator.getByTestId('policy-banner')).toContainText('The server can read what you write.');
  await expect(operator.getByTestId('policy-announcement')).toContainText('Transport encryption only');
  await expect(page.getByTestId('policy-banner')).toContainText('The server can read what you write.');
  await expect(page.getByTestId('policy-banner')).toContainText('In reality a mode is a different app');
  await expect(page.getByTestId('policy-announcement')).toContainText('Mode now: Transport encryption only.');
  await operator.evaluate(() => window.scrollTo(0, 0));
  await operator.screenshot({ path: 'test-results/screens/policy-operator-transport-only-1280x720.png' });

  // Alice writes to Bob: his row and hers say the server could read it.
  await addContact(alice, 'bob');
  await send(alice, READABLE);
  await expect(message(bob, READABLE)).toHaveAttribute('data-direction', 'received');
  await expect(message(bob, READABLE).getByTestId('message-mode')).toHaveText('server could read this');
  await expect(message(alice, READABLE).getByTestId('message-mode')).toHaveText('server could read this');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'test-results/screens/policy-classroom-transport-only-1280x720.png' });
  await message(bob, READABLE).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/policy-classroom-messages-1280x720.png' });

  // The X-ray: the mode, and the server's copy was the opened message (delivered now, so checked by its digest), not a ciphertext.
  await message(bob, READABLE).getByTestId('xray-button').click();
  const xray = page.getByTestId('xray-dialog');
  await expect(xray.getByTestId('xray-mode')).toContainText('Transport encryption only');
  await expect(xray.getByTestId('xray-no-e2ee')).toBeVisible();
  await expect(xray.getByTestId('xray-match')).toHaveAttribute('data-matches', 'true');
  await expect(xray.getByTestId('xray-match')).toHaveAttribute('data-by', 'digest');
  await expect(xray.getByTestId('xray-match')).toContainText('not a ciphertext');
  await expect(xray.getByTestId('xray-server-holds-text')).toBeVisible();
  await screenshot(page, 'policy-xray-transport-only');
  await xray.getByRole('button', { name: 'Close' }).click();

  // The operator page: the text beside the envelope's metadata, and the scanner's flag.
  const readableRow = operator.locator('[data-testid="operator-envelope-row"][data-mode="transport-only"]').filter({ hasText: READABLE });
  await expect(readableRow).toHaveCount(1);
  await expect(readableRow).toContainText('alice');
  await expect(readableRow.getByTestId('operator-read-flags')).toContainText('meeting place');
  await expect(scanner.getByTestId('scanner-flagged-item').filter({ hasText: READABLE })).toContainText('meeting place');
  await expect(operator.getByTestId('reports-pointless')).toBeVisible();
  await operator.getByTestId('operator-envelopes').screenshot({ path: 'test-results/screens/policy-operator-envelopes-read.png' });
  await scanner.screenshot({ path: 'test-results/screens/policy-operator-scanner.png' });
  await operator.getByTestId('reports-section').screenshot({ path: 'test-results/screens/policy-operator-reports.png' });
  const contentTable = operator.getByTestId('operator-schema').locator('section').filter({ has: operator.locator('h3', { hasText: /^content_log$/ }) });
  await contentTable.screenshot({ path: 'test-results/screens/policy-operator-schema-content-log.png' });

  // Back to e2ee: the confirmation quotes what stays readable, with the server's numbers.
  await switchTo(operator, 'e2ee', /The \d+ messages? of 2 people the server already read stay readable to it until they expire/, 'policy-confirm-back-to-e2ee-1280x720');
  await expect(operator.getByTestId('policy-banner')).toHaveCount(0);
  await expect(page.getByTestId('policy-banner')).toHaveCount(0);
  await expect(page.getByTestId('policy-line')).toContainText('End-to-end encrypted');

  await send(alice, PROTECTED);
  await expect(message(bob, PROTECTED)).toHaveAttribute('data-direction', 'received');
  await expect(message(bob, PROTECTED)).toHaveAttribute('data-mode', 'e2ee');
  await expect(message(bob, PROTECTED).getByTestId('message-mode')).toHaveCount(0);
  await expect(operator.locator('[data-testid="operator-envelope-row"][data-mode="e2ee"]')).not.toHaveCount(0);
  // Every envelope of the protected message has arrived on the operator page (Bob's receipt came after it).
  await expect(operator.locator('[data-testid="operator-envelope-row"]').first()).toHaveAttribute('data-mode', 'e2ee');
  expect(await operator.content()).not.toContain(PROTECTED);
  expect(await operator.content()).toContain(READABLE);
  await operator.evaluate(() => window.scrollTo(0, 0));
  await operator.screenshot({ path: 'test-results/screens/policy-operator-back-to-e2ee-1280x720.png' });
  await operator.getByRole('button', { name: 'Lock' }).click();
});

test('a mode this app does not know: the banner says sending is refused, and why', async ({ page, server }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  // The real server's answer with its mode changed in transit, as a newer server's would read.
  await page.route('**/api/policy', async (route) => {
    const answer = await route.fetch();
    await route.fulfill({ response: answer, json: { ...(await answer.json()), mode: 'client-scanning' } });
  });
  await page.goto(server.url);
  const banner = page.getByTestId('policy-banner');
  await expect(banner).toHaveAttribute('data-mode', 'client-scanning');
  await expect(banner).toContainText('This app refuses to send: the server announced a mode it does not know.');
  await expect(banner).toContainText('“client-scanning”');
  await expect(page.getByTestId('policy-announcement')).toContainText('refuses to send');
  await page.screenshot({ path: 'test-results/screens/policy-classroom-unknown-mode-1280x720.png' });
});
