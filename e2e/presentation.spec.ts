/**
 * Presentation mode, end to end (real server process, real SQLite, real
 * Chromium), at a projector's 1024x768 and 1280x720 with large text on: the
 * mode turned on by its button (at one size) and by the P key (at the other;
 * a "p" typed in a message does not switch it), remembered across a reload;
 * both panes' chat logs and composers side by side inside the viewport; the
 * X-ray's verdict inside the dialog's visible area; on the operator page the
 * stream, the graph and a detector card within the viewport. Then
 * transport-only and key escrow: the banner stays, compact, the panes still
 * fit, and each X-ray's verdict is in view. Screenshots of each (viewport only: what
 * the room sees) go to test-results/screens/presentation-*.png.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, SCREENSHOT_DIR, test } from './fixtures.js';
import { addContact, join, message, send } from './steps.js';

const SIZES = [
  { width: 1024, height: 768, by: 'button' },
  { width: 1280, height: 720, by: 'key' },
] as const;

/** Half a pixel for rounding: a box that ends exactly at the edge is inside. */
const EDGE = 0.5;

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  expect(found, 'element has a box (it is displayed)').not.toBeNull();
  return found!;
}

/** The element is displayed and wholly inside `outer` (the viewport, or a dialog's box). */
async function expectInside(locator: Locator, outer: { x: number; y: number; width: number; height: number }, what: string) {
  const b = await box(locator);
  expect(b.x, `${what}: left edge`).toBeGreaterThanOrEqual(outer.x - EDGE);
  expect(b.y, `${what}: top edge`).toBeGreaterThanOrEqual(outer.y - EDGE);
  expect(b.x + b.width, `${what}: right edge`).toBeLessThanOrEqual(outer.x + outer.width + EDGE);
  expect(b.y + b.height, `${what}: bottom edge`).toBeLessThanOrEqual(outer.y + outer.height + EDGE);
}

function viewport(page: Page) {
  const size = page.viewportSize()!;
  return { x: 0, y: 0, width: size.width, height: size.height };
}

/** Presses P with focus on the page itself, as a teacher would after clicking on nothing in particular. */
async function pressP(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('p');
}

async function turnOn(page: Page, by: 'button' | 'key') {
  if (by === 'button') await page.getByTestId('presentation-toggle').click();
  else await pressP(page);
  await expect(page.locator('html')).toHaveClass(/\bpresentation\b/);
  await expect(page.getByTestId('presentation-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('presentation-toggle')).toHaveAttribute('title', /Key: P, when you are not typing/);
}

/** Both panes' chat logs and composers inside the viewport, Alice's left of Bob's. */
async function expectChatsSideBySide(page: Page, alice: Locator, bob: Locator) {
  const view = viewport(page);
  for (const [name, pane] of [['alice', alice], ['bob', bob]] as const) {
    await expectInside(pane.getByTestId('conversation'), view, `${name}'s chat log`);
    await expectInside(pane.getByTestId('message-input'), view, `${name}'s message box`);
    await expectInside(pane.getByTestId('send-button'), view, `${name}'s send button`);
  }
  const aliceLog = await box(alice.getByTestId('conversation'));
  const bobLog = await box(bob.getByTestId('conversation'));
  expect(aliceLog.x + aliceLog.width, 'Alice’s chat ends before Bob’s starts').toBeLessThanOrEqual(bobLog.x);
  expect(Math.abs(aliceLog.y - bobLog.y), 'the two chats start at the same height').toBeLessThan(4);
  // A log a room can read: room for a few messages, not a sliver.
  expect(aliceLog.height, 'Alice’s chat log height').toBeGreaterThan(150);
}

/** Opens the X-ray of `text` in `pane` and checks its verdict is in the dialog's visible area and the viewport. */
async function expectXrayVerdictInView(page: Page, pane: Locator, text: string, shot: string) {
  await message(pane, text).getByTestId('xray-button').click();
  const xray = page.getByTestId('xray-dialog');
  const verdict = xray.getByTestId('xray-match').first();
  await expect(verdict).toHaveAttribute('data-matches', 'true');
  await expectInside(verdict, await box(xray), 'the X-ray verdict, in the dialog');
  await expectInside(verdict, viewport(page), 'the X-ray verdict, on screen');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${shot}.png` });
  await xray.getByRole('button', { name: 'Close' }).click();
  await expect(xray).toHaveCount(0);
}

for (const size of SIZES) {
  const label = `${size.width}x${size.height}`;
  test(`presentation mode at ${label} with large text (on by ${size.by}): chats side by side, the X-ray verdict, the server's view, and transport-only`, async ({
    page,
    context,
    server,
  }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(server.url);
    const alice = await join(page, 'alice');
    await page.getByTestId('add-participant').click();
    const bob = await join(page, 'bob');
    await page.getByTestId('large-text-toggle').click();
    await expect(page.locator('html')).toHaveClass(/\blarge-text\b/);

    // A "p" typed in a box is typing, not the shortcut.
    await alice.getByTestId('add-contact-name').pressSequentially('pp');
    await expect(page.locator('html')).not.toHaveClass(/\bpresentation\b/);
    await alice.getByTestId('add-contact-name').fill('');

    await turnOn(page, size.by);
    await expect(page.locator('.classroom-intro')).toBeHidden();
    await expect(page.locator('.classroom-title')).toBeHidden();

    await addContact(alice, 'bob');
    await addContact(bob, 'alice');
    const lines = ['Hi Bob, can you read this?', 'Yes. Can the server?', 'Open the X-ray and see.', 'Only scrambled bytes.'];
    for (const [i, line] of lines.entries()) {
      const from = i % 2 === 0 ? alice : bob;
      const to = i % 2 === 0 ? bob : alice;
      await send(from, line);
      await expect(message(to, line)).toHaveAttribute('data-direction', 'received');
    }
    await expect(page.getByTestId('policy-line')).toBeVisible();
    await expectChatsSideBySide(page, alice, bob);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/presentation-classroom-${label}.png` });
    await expectXrayVerdictInView(page, bob, lines[0]!, `presentation-xray-e2ee-${label}`);

    // Remembered across a reload, with the conversation back in place.
    await page.reload();
    await expect(page.locator('html')).toHaveClass(/\bpresentation\b/);
    await expect(page.getByTestId('presentation-toggle')).toHaveAttribute('aria-pressed', 'true');
    await expect(message(alice, lines[3]!)).toBeVisible();
    await expect(message(bob, lines[3]!)).toBeVisible();
    await expectChatsSideBySide(page, alice, bob);

    // The server's view: the same mode (this browser remembered it), with the stream, the graph and a detector card on screen.
    const operator = await context.newPage();
    await operator.setViewportSize({ width: size.width, height: size.height });
    await operator.goto(`${server.url}/operator#token=${server.operatorToken}`);
    await expect(operator.getByTestId('operator-connection')).toHaveAttribute('data-state', 'live');
    await expect(operator.locator('html')).toHaveClass(/\bpresentation\b/);
    await expect(operator.getByTestId('operator-envelope-row').first()).toBeVisible();
    await expect(operator.getByTestId('signals-detector').first()).toBeVisible();
    const screen = viewport(operator);
    await operator.screenshot({ path: `${SCREENSHOT_DIR}/presentation-operator-${label}.png` });
    await expectInside(operator.locator('.operator-stream'), screen, 'the envelope stream');
    await expectInside(operator.getByTestId('operator-envelope-row').first(), screen, 'the newest envelope');
    await expectInside(operator.getByTestId('operator-graph').locator('svg'), screen, 'the graph');
    await expectInside(operator.getByTestId('operator-graph-person').first(), screen, 'a person in the graph');
    await expectInside(operator.getByTestId('signals-detector').first().locator('h3, h4').first(), screen, 'a detector card’s title');
    await expect(operator.getByTestId('signals-detector').nth(1)).toBeHidden();

    // Transport-only: the policy switch is among the folded sections, so the operator leaves the mode by its key, switches, and comes back.
    await pressP(operator);
    await expect(operator.locator('html')).not.toHaveClass(/\bpresentation\b/);
    await operator.getByTestId('policy-mode-transport-only').getByRole('radio').check();
    await operator.getByTestId('policy-change').click();
    await operator.getByTestId('policy-confirm').getByTestId('policy-confirm-yes').click();
    await expect(operator.getByTestId('policy-confirm')).toHaveCount(0);
    await operator.getByTestId('presentation-toggle').click();
    await expect(operator.locator('html')).toHaveClass(/\bpresentation\b/);
    await expect(operator.getByTestId('policy-banner')).toBeVisible();
    await expectInside(operator.getByTestId('policy-banner'), screen, 'the policy banner on the server’s view');
    await expectInside(operator.locator('.operator-stream'), screen, 'the envelope stream under the banner');
    await expectInside(operator.getByTestId('operator-graph').locator('svg'), screen, 'the graph under the banner');

    const banner = page.getByTestId('policy-banner');
    await expect(banner).toContainText('The server can read what you write.');
    const readable = 'meet me behind the gym at four';
    await send(alice, readable);
    await expect(message(bob, readable)).toHaveAttribute('data-direction', 'received');
    await expectInside(banner, viewport(page), 'the policy banner');
    const bannerBox = await box(banner);
    expect((await box(alice.getByTestId('conversation'))).y, 'the chats start below the banner').toBeGreaterThanOrEqual(bannerBox.y + bannerBox.height);
    await expectChatsSideBySide(page, alice, bob);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/presentation-classroom-transport-only-${label}.png` });
    await expectXrayVerdictInView(page, bob, readable, `presentation-xray-transport-only-${label}`);
    await operator.screenshot({ path: `${SCREENSHOT_DIR}/presentation-operator-transport-only-${label}.png` });

    // Key escrow (switched through the operator API, as key-escrow.spec does): the same checks, on the X-ray Alice's device made.
    const switched = await page.request.post(`${server.url}/api/operator/policy`, {
      data: { mode: 'key-escrow' },
      headers: { authorization: `Bearer ${server.operatorToken}` },
    });
    expect(switched.status()).toBe(200);
    await expect(banner).toHaveAttribute('data-mode', 'key-escrow');
    const escrowed = 'lunch at noon tomorrow?';
    await send(alice, escrowed);
    await expect(message(bob, escrowed)).toHaveAttribute('data-direction', 'received');
    await expect(message(alice, escrowed)).toHaveAttribute('data-state', 'delivered');
    await expectInside(banner, viewport(page), 'the key-escrow banner');
    await expectChatsSideBySide(page, alice, bob);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/presentation-classroom-key-escrow-${label}.png` });
    await expectXrayVerdictInView(page, alice, escrowed, `presentation-xray-key-escrow-${label}`);

    // The same button turns it off: the introduction is back, and so is the whole banner.
    await page.getByTestId('presentation-toggle').click();
    await expect(page.locator('html')).not.toHaveClass(/\bpresentation\b/);
    await expect(page.getByTestId('presentation-toggle')).toHaveAttribute('aria-pressed', 'false');
    await expect(page.locator('.classroom-intro')).toBeVisible();
    await expect(banner.locator('.policy-banner-caveat')).toBeVisible();
  });
}
