/**
 * The X-ray of a sealed-sender message in the browser, on both sides, against
 * a real server process: the layers are shown (what the server stored, padded
 * to one size; the sender certificate inside the seal; the session message
 * and its ratchet step), the bytes still check out against the server's row,
 * and nothing logs an error. Screenshots at a projector's 1280x720.
 */
import { expect, screenshot, test } from './fixtures.js';
import { addContact, join, message, pane, send } from './steps.js';

const TEXT = 'Nobody at the server knows I wrote this';

test('the X-ray of a sealed message shows the seal, the certificate and the message inside, on both sides', async ({ page, server }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(server.url);
  const alice = await join(page, 'alice');
  await page.getByTestId('add-participant').click();
  const bob = await join(page, 'bob');

  // Sealing to Bob needs his profile key, which his first message brings: he writes first.
  await addContact(bob, 'alice');
  await send(bob, 'Write to me with your name hidden');
  await expect(message(alice, 'Write to me with your name hidden')).toHaveAttribute('data-direction', 'received');
  await pane(page, 'alice').getByTestId('sealed-sender-toggle').click();
  await expect(pane(page, 'alice').getByTestId('sealed-sender-toggle')).toBeChecked();
  await addContact(alice, 'bob');
  await send(alice, TEXT);
  await expect(message(bob, TEXT)).toHaveAttribute('data-direction', 'received');

  const sizes: string[] = [];
  for (const [me, side] of [
    [alice, 'sent'],
    [bob, 'received'],
  ] as const) {
    await message(me, TEXT).getByTestId('xray-button').click();
    const xray = me.page().getByTestId('xray-dialog');
    await expect(xray.getByTestId('xray-plaintext')).toHaveText(TEXT);
    // The session message inside the seal: Alice's reply on the session Bob's first message opened.
    await expect(xray.getByTestId('xray-step')).toBeVisible();
    await expect(xray.getByTestId('xray-step')).not.toContainText('PQXDH');
    // The certificate inside: who, which device, signed by the server.
    const certificate = xray.getByTestId('xray-certificate');
    await expect(certificate).toContainText('alice, device 1');
    await expect(certificate).toContainText('server’s signature');
    if (side === 'received') await expect(certificate).toContainText('checked on bob’s device');
    // What the server stored: four parts, padding included, adding up to the stored size.
    const parts = xray.getByTestId('xray-sealed-layout').locator('li');
    await expect(parts).toHaveCount(4);
    const bytes = (await parts.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-bytes'))))) as number[];
    expect(bytes.every((n) => n > 0)).toBe(true);
    const total = bytes.reduce((a, b) => a + b, 0);
    await expect(xray.getByTestId('xray-sealed-padding')).toContainText(`exactly ${total.toLocaleString('en')} bytes`);
    // The server's row: no sender, the same size, and the same bytes (or their digest) as on the left.
    const row = xray.getByTestId('xray-server-row');
    await expect(row).toContainText('hidden (sealed sender)');
    await expect(row).toContainText(`${total.toLocaleString('en')} bytes`);
    await expect(xray.getByTestId('xray-server-sealed')).toContainText('not whether it starts a conversation');
    await expect(xray.getByTestId('xray-match')).toHaveAttribute('data-matches', 'true');
    await expect(xray.getByTestId('xray-server-digest')).toHaveText((await xray.getByTestId('xray-digest').textContent())!);
    await expect(xray.locator('.xray-side.server')).not.toContainText(TEXT);
    sizes.push(String(total));
    // As the dialog opens, then scrolled to the seal.
    await page.screenshot({ path: `test-results/screens/classroom-xray-sealed-${side}.png` });
    await xray.getByTestId('xray-sealed-layout').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screens/classroom-xray-sealed-${side}-seal.png` });
    await xray.getByRole('button', { name: 'Close' }).click();
    await expect(xray).toHaveCount(0);
  }
  expect(sizes[0]).toBe(sizes[1]);
  await screenshot(page, 'classroom-xray-sealed-chat');
});
