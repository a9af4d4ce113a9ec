/**
 * Steps the classroom specs share: find a persona's pane, join, two people in
 * two browsers, add a contact, send, find a message. Each waits for what a person would see before going on.
 */
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { expect, newWatchedContext } from './fixtures.js';

export function pane(page: Page, username: string): Locator {
  return page.locator(`[data-testid="persona-pane"][data-username="${username}"]`);
}

/** Joins as `name` in the first pane still waiting for a name. */
export async function join(page: Page, name: string): Promise<Locator> {
  const waiting = page.locator('[data-testid="persona-pane"][data-phase="join"]').first();
  await waiting.getByTestId('join-name').fill(name);
  await waiting.getByTestId('join-submit').click();
  const joined = pane(page, name);
  await expect(joined.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  return joined;
}

/**
 * Alice joins in `page`; Bob joins in a browser profile of his own (its own
 * storage, as on another computer), watched for console errors like `page`.
 * The caller closes `bobContext`.
 */
export async function aliceAndBob(
  page: Page,
  browser: Browser,
  serverUrl: string,
  consoleErrors: string[],
): Promise<{ alice: Locator; bob: Locator; bobContext: BrowserContext; bobPage: Page }> {
  await page.goto(serverUrl);
  const alice = await join(page, 'alice');
  const bobContext = await newWatchedContext(browser, consoleErrors);
  const bobPage = await bobContext.newPage();
  await bobPage.goto(serverUrl);
  const bob = await join(bobPage, 'bob');
  return { alice, bob, bobContext, bobPage };
}

export async function addContact(me: Locator, name: string): Promise<void> {
  await me.getByTestId('add-contact-name').fill(name);
  await me.getByTestId('add-contact-submit').click();
  await expect(me.getByTestId(`contact-${name}`)).toHaveAttribute('aria-pressed', 'true');
}

export async function send(me: Locator, text: string): Promise<void> {
  await me.getByTestId('message-input').fill(text);
  await me.getByTestId('message-input').press('Enter');
  await expect(me.getByTestId('message-input')).toHaveValue('');
}

export function message(me: Locator, text: string): Locator {
  return me.getByTestId('message').filter({ has: me.page().getByTestId('message-text').getByText(text, { exact: true }) });
}
