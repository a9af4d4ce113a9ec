/**
 * Fixtures for the e2e tests: `server` is a real Envelope server process with
 * its own temporary DATA_DIR, started fresh for each test; `consoleErrors`
 * collects every console error and page error of every page in the test, and
 * the test fails if any appear (the issue asks for no console errors).
 */
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { startProcess, type ServerProcess } from '@envelope/testkit/harness.js';

export const SCREENSHOT_DIR = 'test-results/screens';

interface Fixtures {
  server: ServerProcess;
  consoleErrors: string[];
}

export const test = base.extend<Fixtures>({
  server: async ({ browser }, use) => {
    const server = await startProcess();
    await use(server);
    // Close the pages first: a page still open when its server goes away tries
    // to reconnect and logs a refused connection, which would fail a test that
    // has already passed (the console-error check runs after this teardown).
    for (const context of browser.contexts()) await Promise.all(context.pages().map((page) => page.close()));
    await server.kill('SIGTERM');
  },
  consoleErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      const watch = (page: Page) => {
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
        });
        page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
      };
      context.pages().forEach(watch);
      context.on('page', watch);
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Saves a full-page screenshot under test-results/screens/NAME.png (kept as a CI artifact). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}

/** A second, independent browser profile (its own IndexedDB), watched for console errors like the first. */
export async function newWatchedContext(browser: import('@playwright/test').Browser, errors: string[]): Promise<BrowserContext> {
  const context = await browser.newContext();
  context.on('page', (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  });
  return context;
}
