/**
 * The classroom page in a real Chromium against a real server process: people
 * join, chat both ways (across browser profiles and within one page), messages
 * wait at the server for a closed page, a key reset raises the safety-number
 * warning whichever side writes first, "Delivered" comes from the recipient's
 * receipt (also for a sealed message), a removed participant stays removed,
 * and the X-ray shows the server holds exactly the ciphertext and
 * never the text. Screenshots of each main screen land in test-results/screens.
 */
import { expect, newWatchedContext, screenshot, test } from './fixtures.js';
import { addContact, aliceAndBob, join, message, pane, send } from './steps.js';

test('two browser profiles register and chat both ways', async ({ page, browser, server, consoleErrors }) => {
  await page.goto(server.url);
  await expect(page.getByText('Pick a name to join')).toBeVisible();
  await expect(page.getByTestId('join-address')).toContainText(server.url);
  await screenshot(page, 'classroom-join');
  // A name is made lowercase before joining: the form says so as it is typed, not afterwards.
  await page.getByTestId('join-name').first().fill('Alice');
  await expect(page.getByTestId('join-name-note').first()).toHaveText('You will join as “alice”: names are lowercase.');
  const alice = await join(page, 'alice');

  const bobContext = await newWatchedContext(browser, consoleErrors);
  const bobPage = await bobContext.newPage();
  // Bob joins from a phone, as students in the room do.
  await bobPage.setViewportSize({ width: 390, height: 844 });
  await bobPage.goto(server.url);
  const bob = await join(bobPage, 'bob');

  await addContact(alice, 'bob');
  await send(alice, 'Hi Bob, can you read this?');
  await expect(message(bob, 'Hi Bob, can you read this?')).toHaveAttribute('data-direction', 'received');
  await send(bob, 'Yes! Only we can.');
  await expect(message(alice, 'Yes! Only we can.')).toHaveAttribute('data-direction', 'received');
  await expect(message(alice, 'Hi Bob, can you read this?').getByTestId('message-state')).toHaveText('Delivered');
  await screenshot(page, 'classroom-chat');
  await screenshot(bobPage, 'classroom-phone');
  expect(await bobPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // The recipient's X-ray: the server deleted the ciphertext on delivery; its digest still matches.
  await message(bob, 'Hi Bob, can you read this?').getByTestId('xray-button').click();
  const xray = bob.getByTestId('xray-dialog');
  await expect(xray.getByTestId('xray-plaintext')).toHaveText('Hi Bob, can you read this?');
  // Every field of the encoded message is labelled, the franking key included.
  await expect(xray.getByTestId('xray-fields').locator('[data-field="fk"]')).toContainText('prove this message to the moderators');
  await expect(xray.getByTestId('xray-match')).toHaveAttribute('data-by', 'digest');
  await expect(xray.getByTestId('xray-match')).toHaveAttribute('data-matches', 'true');
  await expect(xray.getByTestId('xray-server-digest')).toHaveText((await xray.getByTestId('xray-digest').textContent())!);
  await expect(xray.getByTestId('xray-server-ciphertext')).toHaveCount(0);
  await screenshot(bobPage, 'classroom-xray-received');

  // With her name hidden from the server, Alice still sees "Delivered": it comes from Bob's device (a receipt), not the server.
  await alice.getByTestId('sealed-sender-toggle').click();
  await expect(alice.getByTestId('sealed-sender-toggle')).toBeChecked();
  await send(alice, 'Sealed, and still delivered');
  await expect(message(bob, 'Sealed, and still delivered')).toHaveAttribute('data-direction', 'received');
  await expect(message(alice, 'Sealed, and still delivered').getByTestId('message-state')).toHaveText('Delivered');
  await alice.getByText('What the delivery words mean, and who says so').click();
  await expect(alice.getByTestId('delivery-legend')).toContainText('’s device says so');
  await bobContext.close();
});

test('a message sent while the recipient’s page is closed arrives when it reopens', async ({ page, browser, server, consoleErrors }) => {
  await page.goto(server.url);
  const alice = await join(page, 'alice');
  const bobContext = await newWatchedContext(browser, consoleErrors);
  let bobPage = await bobContext.newPage();
  await bobPage.goto(server.url);
  await join(bobPage, 'bob');
  await bobPage.close();

  await addContact(alice, 'bob');
  await send(alice, 'Sent while you were away');
  await expect(message(alice, 'Sent while you were away').getByTestId('message-state')).toHaveText('Stored at the server');

  bobPage = await bobContext.newPage();
  await bobPage.goto(server.url);
  const bob = pane(bobPage, 'bob');
  await expect(message(bob, 'Sent while you were away')).toHaveAttribute('data-direction', 'received');
  await expect(message(alice, 'Sent while you were away').getByTestId('message-state')).toHaveText('Delivered');
  await bobContext.close();
});

test('a contact resetting keys raises the safety-number warning; accepting releases the held message', async ({ page, browser, server, consoleErrors }) => {
  const { alice, bob, bobContext } = await aliceAndBob(page, browser, server.url, consoleErrors);
  await addContact(alice, 'bob');
  await send(alice, 'Before the reset');
  await expect(message(bob, 'Before the reset')).toBeVisible();

  // Alice compares safety numbers with Bob and marks him verified.
  await alice.getByTestId('safety-number-button').click();
  const dialog = alice.getByTestId('safety-dialog');
  await expect(dialog.getByTestId('safety-number')).toHaveText(/^(\d{5}){12}$/);
  const aliceSees = await dialog.getByTestId('safety-number').textContent();
  await bob.getByTestId('safety-number-button').click();
  await expect(bob.getByTestId('safety-dialog').getByTestId('safety-number')).toHaveText(aliceSees!);
  await expect(dialog.getByRole('img', { name: 'QR code of the safety number' })).toBeVisible();
  await screenshot(page, 'classroom-safety-number');
  await dialog.getByTestId('mark-verified').click();
  await expect(dialog.getByTestId('verified-state')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(alice.getByTestId('verified-badge')).toBeVisible();
  await bob.getByTestId('safety-dialog').getByRole('button', { name: 'Close' }).click();

  await bob.getByTestId('reset-keys').click();
  await bob.getByTestId('reset-confirm').click();
  await expect(bob.getByTestId('persona-notice')).toContainText('safety number changed');
  await send(bob, 'After the reset');

  const warning = alice.getByTestId('key-change-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toHaveAttribute('data-after-verification', 'true');
  await expect(warning).toContainText('You had verified bob');
  await expect(message(alice, 'After the reset')).toHaveCount(0);
  await screenshot(page, 'classroom-key-change-warning');

  await warning.getByTestId('accept-new-key').click();
  await expect(message(alice, 'After the reset')).toHaveAttribute('data-direction', 'received');
  await expect(warning).toHaveCount(0);
  await expect(alice.getByTestId('verified-badge')).toHaveCount(0);
  await bobContext.close();
});

test('after a contact resets keys, writing to them first also raises the warning; the unread message can be sent again', async ({ page, browser, server, consoleErrors }) => {
  const { alice, bob, bobContext, bobPage } = await aliceAndBob(page, browser, server.url, consoleErrors);
  await addContact(alice, 'bob');
  await send(alice, 'Hello before the reset');
  await expect(message(bob, 'Hello before the reset')).toBeVisible();
  await send(bob, 'Hello back');
  await expect(message(alice, 'Hello back')).toBeVisible();

  await bob.getByTestId('reset-keys').click();
  await expect(bob.getByTestId('reset-dialog')).toContainText('either of them first');
  await screenshot(bobPage, 'classroom-reset-dialog');
  await bob.getByTestId('reset-confirm').click();
  await expect(bob.getByTestId('persona-notice')).toContainText('safety number changed');

  // Alice writes first, with the session Bob no longer has. Bob cannot read it, and his device tells hers.
  await send(alice, 'Written to your old key');
  await expect(bob.getByTestId('message-missing')).toContainText('keys this device no longer has');
  const warning = alice.getByTestId('key-change-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toHaveAttribute('data-after-verification', 'false');
  const held = alice.getByTestId('held-message');
  await expect(held).toHaveText(/Held: sent with a new key\. Check the safety number, then accept it to read\./);
  // A held row is never an empty bubble: every message row has words in it.
  for (const text of await alice.getByTestId('message').allTextContents()) expect(text.trim()).not.toBe('');
  await screenshot(page, 'classroom-key-change-alice-first');
  await screenshot(bobPage, 'classroom-unreadable-after-reset');

  await warning.getByTestId('accept-new-key').click();
  await expect(warning).toHaveCount(0);
  // The held notice was only Bob's device saying what it could not read: it goes, and the message it named is flagged.
  await expect(held).toHaveCount(0);
  const unread = message(alice, 'Written to your old key');
  await expect(unread.getByTestId('unreadable-by-peer')).toContainText('bob could not read this');
  await screenshot(page, 'classroom-unreadable-by-peer');

  await unread.getByTestId('resend-button').click();
  await expect(message(bob, 'Written to your old key')).toHaveAttribute('data-direction', 'received');
  await send(bob, 'Got it with my new keys');
  await expect(message(alice, 'Got it with my new keys')).toHaveAttribute('data-direction', 'received');
  await send(alice, 'And back again');
  await expect(message(bob, 'And back again')).toHaveAttribute('data-direction', 'received');
  await bobContext.close();
});

test('removing a participant asks in the app’s own dialog, and the pane stays gone after a reload', async ({ page, server }) => {
  await page.goto(server.url);
  await join(page, 'alice');
  await page.getByTestId('add-participant').click();
  const bob = await join(page, 'bob');
  await expect(page.getByTestId('persona-pane')).toHaveCount(2);

  await bob.getByTestId('remove-persona').click();
  const dialog = page.getByTestId('remove-dialog');
  await expect(dialog).toContainText('Remove bob from this browser?');
  await screenshot(page, 'classroom-remove-dialog');
  await dialog.getByTestId('remove-cancel').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('persona-pane')).toHaveCount(2);

  await bob.getByTestId('remove-persona').click();
  await page.getByTestId('remove-dialog').getByTestId('remove-confirm').click();
  await expect(pane(page, 'bob')).toHaveCount(0);
  await expect(page.getByTestId('persona-pane')).toHaveCount(1);

  await page.reload();
  await expect(pane(page, 'alice').getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  await expect(pane(page, 'bob')).toHaveCount(0);
  await expect(page.getByTestId('persona-pane')).toHaveCount(1);
});

test('the X-ray shows ciphertext unlike the text, exactly as the server stores it', async ({ page, browser, server, consoleErrors }) => {
  const { alice, bobContext, bobPage } = await aliceAndBob(page, browser, server.url, consoleErrors);
  await bobPage.close(); // offline: the envelope stays stored at the server

  const text = 'Meet at the library at 5';
  await addContact(alice, 'bob');
  await send(alice, text);
  await expect(message(alice, text).getByTestId('message-state')).toHaveText('Stored at the server');
  await message(alice, text).getByTestId('xray-button').click();

  const xray = alice.getByTestId('xray-dialog');
  await expect(xray.getByTestId('xray-plaintext')).toHaveText(text);
  await expect(xray.getByTestId('xray-match')).toHaveAttribute('data-matches', 'true');
  await expect(xray.getByTestId('xray-match')).toHaveAttribute('data-by', 'bytes');
  // The padding is 0x80 then zeros (grouped two bytes at a time, wherever the text happened to end).
  expect((await xray.getByTestId('xray-padding').textContent())!.replace(/\s/g, '')).toMatch(/^80(00)*$/);

  const ours = (await xray.getByTestId('xray-ciphertext').textContent())!;
  const theirs = (await xray.getByTestId('xray-server-ciphertext').textContent())!;
  expect(theirs).toBe(ours);
  const plaintextHex = Buffer.from(text).toString('hex');
  expect(ours.replace(/[^0-9a-f]/g, '')).not.toContain(plaintextHex.slice(0, 16));
  expect(ours).not.toContain(text);
  // The server's side of the X-ray holds no trace of the text.
  await expect(xray.locator('.xray-side.server')).not.toContainText(text);
  await screenshot(page, 'classroom-xray');
  await bobContext.close();
});

test('two personas side by side in one page chat with each other', async ({ page, server }) => {
  await page.goto(server.url);
  const alice = await join(page, 'alice');
  await page.getByTestId('add-participant').click();
  const bob = await join(page, 'bob');
  await expect(page.getByTestId('persona-pane')).toHaveCount(2);

  await addContact(bob, 'alice');
  await send(bob, 'Hello from the pane next door');
  await expect(message(alice, 'Hello from the pane next door')).toHaveAttribute('data-direction', 'received');
  await send(alice, 'Same laptop, separate keys');
  await expect(message(bob, 'Same laptop, separate keys')).toHaveAttribute('data-direction', 'received');

  // A reload brings both personas back, with their keys and history.
  await page.reload();
  await expect(message(pane(page, 'bob'), 'Same laptop, separate keys')).toBeVisible();
  await expect(pane(page, 'alice').getByTestId('connection-status')).toHaveAttribute('data-status', 'online');

  // More messages than Bob's chat box holds: it shows the newest, and still does after the text gets larger (taller messages, none added).
  const bobsList = pane(page, 'bob').getByTestId('conversation');
  const lines = Array.from({ length: 6 }, (_, n) => `Line ${n + 1}: long enough to wrap onto a second line in a pane half as wide as the laptop screen.`);
  for (const line of lines) await send(pane(page, 'alice'), line);
  await expect(message(pane(page, 'bob'), lines[lines.length - 1]!)).toBeVisible();
  expect(await bobsList.evaluate((list) => list.scrollHeight > list.clientHeight)).toBe(true);
  await expect.poll(() => bobsList.evaluate(newestHiddenBy)).toBeLessThan(1);
  await page.getByTestId('large-text-toggle').click();
  await expect(page.locator('html')).toHaveClass(/large-text/);
  await expect.poll(() => bobsList.evaluate(newestHiddenBy)).toBeLessThan(1);
  // Bob scrolls up to read: a new message does not pull him down; back at the bottom, the next one stays in view.
  await bobsList.evaluate(scrollAndWait, 0);
  await send(pane(page, 'alice'), 'While Bob reads the first lines');
  await expect(message(pane(page, 'bob'), 'While Bob reads the first lines')).toHaveCount(1);
  // Two frames after it appeared: the page has laid it out and run what reacts to it.
  expect(await bobsList.evaluate((list) => new Promise<number>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(list.scrollTop)))))).toBe(0);
  await bobsList.evaluate(scrollAndWait, Number.MAX_SAFE_INTEGER);
  await send(pane(page, 'alice'), 'Back at the newest');
  await expect(message(pane(page, 'bob'), 'Back at the newest')).toHaveCount(1);
  await expect.poll(() => bobsList.evaluate(newestHiddenBy)).toBeLessThan(1);
  await screenshot(page, 'classroom-two-personas');
});

/** Scrolls a list as a reader would and resolves once the page has seen the scroll. */
function scrollAndWait(list: Element, top: number): Promise<void> {
  return new Promise((done) => {
    list.addEventListener('scroll', () => done(), { once: true });
    list.scrollTo({ top });
  });
}

/** How much (px) of a chat list's newest message is below what the list shows: 0 when it is all in view. */
function newestHiddenBy(list: Element): number {
  const messages = list.querySelectorAll('[data-testid="message"]');
  const newest = messages[messages.length - 1]!;
  return Math.max(0, newest.getBoundingClientRect().bottom - list.getBoundingClientRect().bottom);
}
