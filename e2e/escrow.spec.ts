/**
 * Key escrow on the operator page and the agency page, end to end (real
 * server process, real SQLite, real Chromium; Alice and Bob are the
 * command-line client): the operator switches to key escrow through the
 * confirmation (choosing the check width), the schema view marks the table
 * it fills, Alice writes to Bob, the agency page refuses one holder's share
 * with the plain reason and opens Alice's messages with two, the leak opens
 * everyone's, "What a thief gets" reads no text, and switching back says the
 * escrowed messages stay kept. Screenshots at a projector's 1280x720.
 */
import { join } from 'node:path';
import { cli } from '@envelope/testkit/cli.js';
import { tempDataDir } from '@envelope/testkit/harness.js';
import { expect, screenshot, SCREENSHOT_DIR, test } from './fixtures.js';

const SECRET = 'the spare key is under the blue flowerpot';

test('key escrow: switched on by the operator, one share refused, two open, the leak opens everyone’s, a thief reads no text', async ({ page, context, server, consoleErrors }) => {
  await expect.poll(() => server.output()).toMatch(/agency page: \S+\n/);
  const agencyLink = server.output().match(/agency page: (\S+)/)![1]!.replace(/^http:\/\/[^/]+/, server.url);
  const profiles = tempDataDir();
  const person = (name: string, ...args: string[]) => cli(server.url, join(profiles, name), ...args);
  for (const name of ['alice', 'bob']) expect((await person(name, 'register', name)).code).toBe(0);

  // The operator: cancelling gives focus back to the button that opened the dialog.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(page.getByTestId('operator-connection')).toHaveAttribute('data-state', 'live');
  const escrowMode = page.getByTestId('policy-mode-key-escrow').getByRole('radio');
  await escrowMode.check();
  const opener = page.getByTestId('policy-change');
  await opener.click();
  const dialog = page.getByTestId('policy-confirm');
  await expect(dialog).toContainText('messages stay end-to-end encrypted, but each carries its key sealed to an escrow key');
  await expect(dialog).toContainText('the server must now keep every ciphertext after delivery');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();

  // Then switching, with the check width chosen in the confirmation.
  await opener.click();
  const width = dialog.getByTestId('policy-check-width');
  await expect(width.getByRole('radio', { name: /16 bits, as in Clipper/ })).toBeChecked();
  await width.getByRole('radio', { name: /16 bits, as in Clipper/ }).check();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/escrow-confirm-1280x720.png` });
  await dialog.getByTestId('policy-confirm-yes').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/escrow-confirm-end-1280x720.png` });
  await dialog.getByTestId('policy-confirm-yes').click();
  await expect(dialog).toHaveCount(0);
  await expect(escrowMode).toBeFocused();
  await expect(page.getByTestId('policy-banner')).toContainText('any two of its three key holders');
  await expect(page.getByTestId('operator-no-plaintext')).toContainText('keeps every message after delivery');
  await expect(page.getByTestId('operator-escrow-cost')).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOT_DIR}/escrow-operator-top-1280x720.png` });
  const costTable = page.getByTestId('operator-schema-cost');
  await expect(costTable.locator('h3')).toHaveText('escrow_retained');
  await costTable.scrollIntoViewIfNeeded();
  await costTable.screenshot({ path: `${SCREENSHOT_DIR}/escrow-schema-cost.png` });

  // Alice writes to Bob under key escrow; Bob reads it (his app checked the access field).
  expect((await person('alice', 'send', 'bob', SECRET)).code).toBe(0);
  const received = await person('bob', 'receive');
  expect(received.lines.map((line) => [line.text, line.mode])).toEqual([[SECRET, 'key-escrow']]);

  // The agency page: the escrow sections come first in key escrow.
  const agency = await context.newPage();
  await agency.setViewportSize({ width: 1280, height: 720 });
  await agency.goto(agencyLink);
  const keyPanel = agency.getByTestId('agency-escrow-key');
  await expect(keyPanel.getByTestId('escrow-holders').getByRole('listitem')).toHaveCount(3);
  await expect(keyPanel.getByTestId('escrow-check-width')).toContainText('16 bits wide');
  await expect(keyPanel.getByTestId('escrow-demo-caveat')).toContainText('all three share files sit on this server’s disk');
  await expect(keyPanel.getByTestId('escrow-retained')).not.toContainText('keeps 0 messages');
  await agency.screenshot({ path: `${SCREENSHOT_DIR}/escrow-agency-top-1280x720.png` });

  // One holder's share: refused, in plain words.
  const open = agency.getByTestId('agency-escrow-open');
  await open.getByTestId('escrow-open-target').fill('alice');
  await open.getByTestId('escrow-open-reference').fill('court order 2026-31');
  await open.getByTestId('escrow-open-holders').getByRole('checkbox', { name: 'The agency' }).uncheck();
  await open.getByTestId('escrow-open-submit').click();
  await expect(open.getByTestId('escrow-open-refused')).toContainText('one share is not enough');
  await expect(open.getByTestId('escrow-open-handover')).toContainText('The court hands over its share: received.');
  // Chromium logs the refusal (a 400) as a failed request: that one is expected, any other console error is not.
  const refusal = consoleErrors.findIndex((line) => line.includes('status of 400'));
  expect(refusal).toBeGreaterThanOrEqual(0);
  consoleErrors.splice(refusal, 1);

  // Two: the message opens, with whom, when and under which mode.
  await open.getByTestId('escrow-open-holders').getByRole('checkbox', { name: 'The agency' }).check();
  await open.getByTestId('escrow-open-submit').click();
  await expect(open.getByTestId('escrow-open-handover')).toContainText('The agency hands over its share: received.');
  const row = open.getByTestId('escrow-message').filter({ hasText: SECRET });
  await expect(row).toContainText('alice');
  await expect(row).toContainText('bob');
  await expect(row).toContainText('Key escrow');
  await expect(open.getByTestId('escrow-open-summary')).toContainText('1 message opened in their text');
  await open.scrollIntoViewIfNeeded();
  await agency.screenshot({ path: `${SCREENSHOT_DIR}/escrow-agency-open-1280x720.png` });

  // The leak: everyone's messages, labelled as an attack.
  const leak = agency.getByTestId('agency-escrow-leak');
  await expect(leak).toContainText('Demonstration of an attack');
  await expect(leak).toContainText('Keys Under Doormats');
  await leak.getByTestId('escrow-leak-submit').click();
  await expect(leak.getByTestId('escrow-leak-summary')).toContainText('of 2 people');
  await expect(leak.getByTestId('escrow-leak-sample')).toContainText(SECRET);
  await leak.scrollIntoViewIfNeeded();
  await agency.screenshot({ path: `${SCREENSHOT_DIR}/escrow-agency-leak-1280x720.png` });
  await expect(agency.getByTestId('audit-lines')).toContainText('opened everyone’s messages with a leaked escrow key');
  await screenshot(agency, 'escrow-agency-page');

  // What a thief gets: the retained messages are ciphertext; no text.
  await page.bringToFront();
  const breach = page.getByTestId('breach-section');
  await breach.getByTestId('breach-run').click();
  await expect(breach.getByTestId('breach-headline')).toHaveText('A thief reads no message text: the server holds none it can read.');
  await expect(breach.getByTestId('breach-details')).toContainText('of the metadata log');
  await expect(breach).toContainText('the three share files sit in the same data directory');
  await expect(breach.getByTestId('breach-run')).toBeFocused();
  await breach.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/escrow-operator-breach-1280x720.png` });
  expect(await page.content()).not.toContain(SECRET);

  // Back to e2ee: the confirmation says the escrowed messages stay kept, and openable.
  await page.getByTestId('policy-mode-e2ee').getByRole('radio').check();
  await opener.click();
  await expect(dialog).toContainText('Messages sent under key escrow (here 1 message of 2 people) stay kept at the server until they expire');
  await dialog.getByTestId('policy-confirm-yes').click();
  await expect(page.getByTestId('policy-mode-e2ee').getByRole('radio')).toBeFocused();
  await expect(page.getByTestId('policy-banner')).toHaveCount(0);
});
