/** Before the e2e tests: a Chromium that starts (e2e/browser.ts), and the web app built once, so each test's server starts on a fresh build. */
import { build } from 'vite';
import { ensureChromium } from './browser.js';

export default async function globalSetup(): Promise<void> {
  await ensureChromium();
  await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
}
