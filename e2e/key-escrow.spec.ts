/**
 * Key escrow in the classroom, end to end (real server process, real SQLite,
 * real Chromium): with the server switched to key-escrow (16 bits), Alice
 * sends Bob a message whose X-ray lays out its access field on both sides;
 * then she sends as a rogue app: the page searches by trial for a field that
 * opens to nothing, showing tries and time, sends, and Bob reads it; the other
 * escape (a text encrypted inside) is one button further. Screenshots at a
 * projector's 1280x720.
 */
import { expect, test } from './fixtures.js';
import { addContact, join, message, send } from './steps.js';

const HONEST = 'lunch at noon tomorrow?';
const ROGUE = 'the escrow opens this to nothing';
const SCREENS = 'test-results/screens';

test('key escrow: the X-ray shows the access field; a rogue app forges a 16-bit field live and Bob reads its message', async ({ page, server }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const switched = await page.request.post(`${server.url}/api/operator/policy`, {
    data: { mode: 'key-escrow' },
    headers: { authorization: `Bearer ${server.operatorToken}` },
  });
  expect(switched.status()).toBe(200);
  await page.goto(server.url);
  await expect(page.getByTestId('policy-banner')).toHaveAttribute('data-mode', 'key-escrow');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENS}/escrow-banner-1280x720.png` });
  const alice = await join(page, 'alice');
  await page.getByTestId('add-participant').click();
  const bob = await join(page, 'bob');

  await addContact(alice, 'bob');
  await send(alice, HONEST);
  await expect(message(bob, HONEST)).toHaveAttribute('data-direction', 'received');
  await expect(message(bob, HONEST).getByTestId('message-mode')).toHaveText('escrow holders could read this');
  await expect(message(alice, HONEST)).toHaveAttribute('data-state', 'delivered');
  await page.screenshot({ path: `${SCREENS}/escrow-classroom-1280x720.png` });

  // Alice's X-ray: the field laid out on her side, and the server keeping it after delivery.
  await message(alice, HONEST).getByTestId('xray-button').click();
  const xray = page.getByTestId('xray-dialog');
  await expect(xray.getByTestId('xray-mode')).toContainText('Key escrow');
  const field = xray.getByTestId('xray-access-field');
  await expect(field).toHaveAttribute('data-check-bits', '16');
  await expect(field.getByTestId('access-width')).toContainText('16 bits');
  await expect(field.getByTestId('access-sealed')).toContainText('sealed to the escrow key');
  await expect(field).toContainText('Made on alice’s device');
  await expect(xray.getByTestId('xray-server-escrow')).toContainText('The server keeps this ciphertext and this field after delivery, for the retention period');
  await field.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENS}/escrow-xray-sent-1280x720.png` });
  await xray.getByTestId('xray-server-escrow').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENS}/escrow-xray-server-1280x720.png` });
  await xray.getByRole('button', { name: 'Close' }).click();
  // Bob's: the same field, checked on his device.
  await message(bob, HONEST).getByTestId('xray-button').click();
  await expect(xray.getByTestId('xray-access-field')).toContainText('Checked on bob’s device');
  await xray.getByTestId('xray-access-field').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENS}/escrow-xray-received-1280x720.png` });
  await xray.getByRole('button', { name: 'Close' }).click();

  // The rogue app, by keyboard from the button in Alice's pane.
  await alice.getByTestId('rogue-button').focus();
  await page.keyboard.press('Enter');
  const rogue = page.getByTestId('rogue-dialog');
  await expect(rogue).toContainText('Clipper’s check ran inside a sealed chip');
  await rogue.getByTestId('rogue-text').fill(ROGUE);
  await page.screenshot({ path: `${SCREENS}/escrow-rogue-ready-1280x720.png` });
  await rogue.getByTestId('rogue-start').click();
  await expect(rogue.getByTestId('rogue-figures')).toContainText('tries a second');
  await expect(rogue.getByTestId('rogue-sent')).toContainText('opens to nothing', { timeout: 60_000 });
  expect(Number(await rogue.getByTestId('rogue-figures').getAttribute('data-tries'))).toBeGreaterThan(0);
  await expect(rogue.getByTestId('rogue-sent')).toBeFocused();
  await page.screenshot({ path: `${SCREENS}/escrow-rogue-sent-1280x720.png` });
  await expect(message(bob, ROGUE)).toHaveAttribute('data-direction', 'received');
  // Bob's app cannot tell; Alice's row says what her rogue app did.
  await expect(message(bob, ROGUE).getByTestId('message-mode')).toHaveText('escrow holders could read this');
  await expect(message(alice, ROGUE).getByTestId('message-mode')).toHaveText('rogue app: the escrow opens this to nothing');

  // The other escape: a compliant message whose text is itself encrypted.
  await rogue.getByTestId('rogue-inside-send').click();
  await expect(rogue.getByTestId('rogue-inside-sent')).toContainText('sealed inside: ');
  await rogue.getByTestId('rogue-inside').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENS}/escrow-rogue-inside-1280x720.png` });
  await rogue.getByRole('button', { name: 'Close' }).click();
  const inside = bob.getByTestId('message').filter({ has: page.getByTestId('message-text').filter({ hasText: 'sealed inside: ' }) });
  await expect(inside.getByTestId('message-mode')).toHaveText('escrow finds only ciphertext');
  // Alice's X-ray of the rogue message: the field was forged, its sealed part random bytes.
  await message(alice, ROGUE).getByTestId('xray-button').click();
  await expect(xray.getByTestId('xray-access-field')).toHaveAttribute('data-forged', 'true');
  await expect(xray.getByTestId('xray-access-field')).toContainText('Forged by alice’s rogue app');
  await expect(xray.getByTestId('access-sealed')).toContainText('they open to nothing');
  await xray.getByTestId('xray-access-field').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENS}/escrow-xray-forged-1280x720.png` });
  await xray.getByRole('button', { name: 'Close' }).click();
  await message(bob, ROGUE).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENS}/escrow-bob-reads-1280x720.png` });
});

test('key escrow at 64 bits: the rogue app searches for a few seconds, finds nothing, and the page says how many years trial would take', async ({ page, server }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const switched = await page.request.post(`${server.url}/api/operator/policy`, {
    data: { mode: 'key-escrow', checkBits: 64 },
    headers: { authorization: `Bearer ${server.operatorToken}` },
  });
  expect(switched.status()).toBe(200);
  await page.goto(server.url);
  const alice = await join(page, 'alice');
  await page.getByTestId('add-participant').click();
  await join(page, 'bob');
  await addContact(alice, 'bob');

  await alice.getByTestId('rogue-button').click();
  const rogue = page.getByTestId('rogue-dialog');
  await expect(rogue).toContainText('2^64');
  await rogue.getByTestId('rogue-start').click();
  await expect(rogue.getByTestId('rogue-cancel')).toBeFocused();
  await expect(rogue.getByTestId('rogue-out-of-reach')).toContainText('none passed', { timeout: 30_000 });
  await expect(rogue.getByTestId('rogue-years')).toContainText('years');
  await expect(rogue.getByTestId('rogue-out-of-reach')).toBeFocused();
  await expect(rogue.getByTestId('rogue-inside-send')).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/escrow-rogue-64-bits-1280x720.png` });
  await rogue.getByRole('button', { name: 'Close' }).click();
  await expect(alice.getByTestId('message')).toHaveCount(0);
});
