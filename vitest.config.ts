import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Unit and integration tests sit next to the code; e2e/ is Playwright's.
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', 'build-rules/*.test.ts'],
    exclude: ['node_modules/**', 'e2e/**', 'bench/.libsignal/**'],
    // A guard against hangs, not a speed check: tests wait for events, and a
    // test that starts server and CLI processes can take minutes on a busy
    // two-core laptop (the suite must pass with one core kept busy elsewhere).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // CI summarises this report (.ci/run).
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
