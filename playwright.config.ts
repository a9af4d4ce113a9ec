/**
 * End-to-end tests (e2e/): the real server as a child process over a fresh
 * SQLite file per test, driven through a real Chromium (which one, and why:
 * e2e/browser.ts).
 */
import { defineConfig } from '@playwright/test';
import { systemChromium as chromium } from './e2e/browser.js';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  // Two spec files at a time, each test still with its own fresh server and
  // SQLite file (the operator's views list every account, so tests cannot
  // share a server). On this two-core machine under other load (load average
  // 7-8), side by side: 95 s with one worker, 49 s with two.
  workers: 2,
  fullyParallel: false,
  // Guards against hangs, not speed checks: every wait is for something on the
  // page, and on a busy two-core laptop a server start, a build or a PQXDH
  // handshake in WebAssembly can take many times longer than on an idle one.
  timeout: 300_000,
  expect: { timeout: 60_000 },
  retries: 0,
  outputDir: 'test-results/e2e',
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/e2e.json' }]] : [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      ...(chromium ? { executablePath: chromium } : {}),
      // As root in a sandboxed VM with no outside network: no sandbox, no GPU,
      // and no background calls home (they fail here, many at a time).
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
