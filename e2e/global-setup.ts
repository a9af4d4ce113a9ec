/** Builds the web app once before the e2e tests, so each test's server starts on a fresh build. */
import { build } from 'vite';

export default async function globalSetup(): Promise<void> {
  await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
}
