import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Unit and integration tests sit next to the code; e2e/ is Playwright's.
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.{ts,tsx}', 'bench/**/*.test.ts'],
    exclude: ['node_modules/**', 'e2e/**', 'bench/.libsignal/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CI summarises this report (.ci/run).
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
