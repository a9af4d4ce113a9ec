/**
 * axe-core (Deque's accessibility engine, through @axe-core/playwright) on each
 * screen a class sees, in a real Chromium against a real server process: the
 * join page, the classroom with a conversation, the X-ray and safety-number
 * dialogs, the operator page, the warrant answer and the agency page. A test
 * fails on any serious or critical violation, and its message lists each one
 * (rule id, impact, the elements it found and axe's help text), so the failure
 * says what to fix. Each screen is checked as a person reaches it; the
 * violations of all screens are gathered and asserted once at the end, so one
 * run reports them all.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { postJson } from '@envelope/testkit/harness.js';
import { expect, test } from './fixtures.js';
import { addContact, join, message, send } from './steps.js';

/** The impacts the issue asks us never to ship; "minor" and "moderate" are reported by axe but not failed on... */
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);
/** ...except these moderate rules, which the issue names too: all content inside landmarks. */
const BLOCKING_RULES = new Set(['region']);

/** Runs axe on the page as it stands (or only inside `include`) and returns one line per blocking violation. */
async function blockingViolations(page: Page, screen: string, include?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((violation) => BLOCKING_IMPACTS.has(violation.impact ?? '') || BLOCKING_RULES.has(violation.id))
    .map((violation) => {
      const targets = violation.nodes.map((node) => node.target.join(' ')).join(' | ');
      return `[${screen}] ${violation.id} (${violation.impact}) at ${targets}: ${violation.help}`;
    });
}

/** WCAG 2 contrast ratio of two CSS rgb()/rgba() colours (alpha ignored: every colour checked here is opaque). */
function contrast(first: string, second: string): number {
  const luminance = (css: string) => {
    const [r, g, b] = css.match(/[\d.]+/g)!.slice(0, 3).map((part) => {
      const channel = Number(part) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [dark, light] = [luminance(first), luminance(second)].sort((a, b) => a - b) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** An element's colours as drawn: its own, and the first opaque background behind it. */
function colours(element: Element) {
  const style = getComputedStyle(element);
  let behind: Element | null = element.parentElement;
  let background = 'rgb(255, 255, 255)';
  while (behind) {
    const colour = getComputedStyle(behind).backgroundColor;
    if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') {
      background = colour;
      break;
    }
    behind = behind.parentElement;
  }
  return {
    text: style.color,
    fill: style.backgroundColor,
    border: style.borderTopColor,
    outline: style.outlineColor,
    outlineStyle: style.outlineStyle,
    focusVisible: element.matches(':focus-visible'),
    width: element.getBoundingClientRect().width,
    fontSize: Number.parseFloat(style.fontSize),
    background,
  };
}

function report(found: string[]): string {
  return `axe found ${found.length} serious or critical violation(s):\n${found.join('\n')}`;
}

test('the classroom: join page, a conversation, the X-ray and the safety number have no serious or critical axe violation; senders, announcements and focus work for a screen reader', async ({ page, server }) => {
  const found: string[] = [];
  await page.goto(server.url);
  await expect(page.getByText('Pick a name to join')).toBeVisible();
  found.push(...(await blockingViolations(page, 'join page')));

  const alice = await join(page, 'alice');
  // Joining moves the focus to the chat's first control, not back to the top of the page.
  await expect(alice.getByTestId('add-contact-name')).toBeFocused();

  // Contrast for a washed-out projector: the focus ring, an input's border and a disabled button at
  // least 3:1 against what is behind them, the disabled button's words 4.5:1.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const field = await alice.getByTestId('add-contact-name').evaluate(colours);
  expect(field.focusVisible).toBe(true);
  expect(field.outlineStyle).toBe('solid');
  expect(contrast(field.outline, field.background), `focus ring ${field.outline} on ${field.background}`).toBeGreaterThanOrEqual(3);
  expect(contrast(field.border, field.fill), `input border ${field.border} on ${field.fill}`).toBeGreaterThanOrEqual(3);
  await expect(alice.getByTestId('add-contact-submit')).toBeDisabled();
  const disabled = await alice.getByTestId('add-contact-submit').evaluate(colours);
  expect(contrast(disabled.text, disabled.fill), `disabled words ${disabled.text} on ${disabled.fill}`).toBeGreaterThanOrEqual(4.5);
  expect(contrast(disabled.border, disabled.background), `disabled border ${disabled.border} on ${disabled.background}`).toBeGreaterThanOrEqual(3);
  // The sealed-sender checkbox grows with large text (a fixed 13 px box is lost on a projector).
  await page.getByTestId('large-text-toggle').click();
  await expect(page.locator('html')).toHaveClass(/large-text/);
  const checkbox = await alice.getByTestId('sealed-sender-toggle').evaluate(colours);
  expect(checkbox.width).toBeGreaterThanOrEqual(checkbox.fontSize);
  await page.getByTestId('large-text-toggle').click();
  await expect(page.locator('html')).not.toHaveClass(/large-text/);

  await page.getByTestId('add-participant').click();
  const bob = await join(page, 'bob');
  await expect(bob.getByTestId('add-contact-name')).toBeFocused();
  await addContact(alice, 'bob');
  await send(alice, 'Hi Bob, can you read this?');
  await expect(message(bob, 'Hi Bob, can you read this?')).toHaveAttribute('data-direction', 'received');
  await addContact(bob, 'alice');
  await send(bob, 'Yes! Only we can.');
  await expect(message(alice, 'Yes! Only we can.')).toHaveAttribute('data-direction', 'received');
  found.push(...(await blockingViolations(page, 'classroom with a conversation')));

  // A screen reader hears who wrote each message, and each new message once, through a log region:
  // the delivery words changing ("Stored at the server", then "Delivered") announce nothing more.
  await expect(message(alice, 'Hi Bob, can you read this?').getByTestId('message-state')).toHaveText('Delivered');
  await expect(message(bob, 'Yes! Only we can.').getByTestId('message-state')).toHaveText('Delivered');
  await expect(message(alice, 'Hi Bob, can you read this?').getByTestId('message-sender')).toHaveText(/^You:\s*$/);
  await expect(message(alice, 'Yes! Only we can.').getByTestId('message-sender')).toHaveText(/^bob:\s*$/);
  await expect(message(bob, 'Hi Bob, can you read this?').getByTestId('message-sender')).toHaveText(/^alice:\s*$/);
  await expect(bob.getByTestId('message-announcements')).toHaveAttribute('role', 'log');
  await expect(bob.getByTestId('message-announcements').locator('p')).toHaveText(['alice: Hi Bob, can you read this?']);
  await expect(alice.getByTestId('message-announcements').locator('p')).toHaveText(['bob: Yes! Only we can.']);
  await expect(alice.getByTestId('conversation')).not.toHaveAttribute('aria-live');

  // Closing a dialog gives the focus back to the control that opened it (by its button and by Escape).
  const xrayButton = message(alice, 'Hi Bob, can you read this?').getByTestId('xray-button');
  await xrayButton.click();
  const xray = alice.getByTestId('xray-dialog');
  await expect(xray.getByTestId('xray-plaintext')).toHaveText('Hi Bob, can you read this?');
  found.push(...(await blockingViolations(page, 'X-ray dialog')));
  await xray.getByRole('button', { name: 'Close' }).click();
  await expect(xray).toHaveCount(0);
  await expect(xrayButton).toBeFocused();

  await alice.getByTestId('safety-number-button').click();
  const safety = alice.getByTestId('safety-dialog');
  await expect(safety.getByTestId('safety-number')).toHaveText(/^(\d{5}){12}$/);
  found.push(...(await blockingViolations(page, 'safety-number dialog')));
  await page.keyboard.press('Escape');
  await expect(safety).toHaveCount(0);
  await expect(alice.getByTestId('safety-number-button')).toBeFocused();

  expect(found, report(found)).toEqual([]);
});

test('the operator page, the warrant answer and the agency page have no serious or critical axe violation', async ({ page, server }) => {
  const found: string[] = [];
  // Someone to see: two people who talked, so the graph, stream and warrant answer are not empty.
  await page.goto(server.url);
  const alice = await join(page, 'alice');
  await page.getByTestId('add-participant').click();
  const bob = await join(page, 'bob');
  await addContact(alice, 'bob');
  await send(alice, 'Hello from Alice');
  await expect(message(bob, 'Hello from Alice')).toBeVisible();

  const operator = await page.context().newPage();
  await operator.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(operator.getByTestId('operator-page')).toBeVisible();
  // A skip link comes first: one Tab and Enter take a keyboard user past the header to the server's view.
  await operator.keyboard.press('Tab');
  await expect(operator.getByRole('link', { name: 'Skip to the server’s view' })).toBeFocused();
  await operator.keyboard.press('Enter');
  await expect(operator.getByRole('main')).toBeFocused();
  await expect(operator.getByTestId('warrant-account').locator('option', { hasText: 'alice' })).toHaveCount(1);
  found.push(...(await blockingViolations(operator, 'operator page')));

  await operator.getByTestId('warrant-account').selectOption('alice');
  await operator.getByRole('button', { name: 'Request everything the server holds' }).click();
  await expect(operator.getByTestId('warrant-not-provided')).toContainText('What the server could not provide');
  found.push(...(await blockingViolations(operator, 'warrant answer')));

  // The agency page exists only in the transport-only mode; its link is printed at start.
  await expect.poll(() => server.output()).toMatch(/agency page: \S+\n/);
  const agencyLink = server.output().match(/agency page: (\S+)/)![1]!;
  await operator.getByRole('button', { name: 'Lock' }).click();
  await operator.close();
  const switched = await postJson(`${server.url}/api/operator/policy`, { mode: 'transport-only' }, server.operatorToken);
  expect(switched.status).toBe(200);
  const agency = await page.context().newPage();
  await agency.goto(agencyLink.replace(/^http:\/\/[^/]+/, server.url));
  await expect(agency.getByTestId('agency-page')).toBeVisible();
  await agency.getByTestId('warrant-target').fill('bob');
  await agency.getByTestId('warrant-reference').fill('court order 2026-17');
  await agency.getByTestId('warrant-submit').click();
  await expect(agency.getByTestId('agency-queue-count')).toContainText('Nothing copied yet');
  found.push(...(await blockingViolations(agency, 'agency page')));

  expect(found, report(found)).toEqual([]);
});
