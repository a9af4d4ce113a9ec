import { defineConfig } from 'vitest/config';

/** Files that change what every later file in the same worker would see, so each runs in a fresh module graph. */
const ISOLATED = [
  // vi.mock('node:fs/promises')
  'client/cli/file-store.test.ts',
  // fake-indexeddb/auto puts a global indexedDB in place
  'client/web/src/classroom/persona-model.test.ts',
  'client/web/src/classroom/classroom-model.test.ts',
  'client/web/src/storage/indexeddb-store.test.ts',
  // fake timers
  'shared/client/connection.test.ts',
];

const common = {
  // A guard against hangs, not a speed check: tests wait for events, and a
  // test that starts server and CLI processes can take minutes on a busy
  // two-core laptop (the suite must pass with one core kept busy elsewhere).
  testTimeout: 300_000,
  hookTimeout: 300_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: 'shared',
          // Unit and integration tests sit next to the code; e2e/ is Playwright's.
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', 'build-rules/*.test.ts'],
          exclude: ['node_modules/**', 'e2e/**', 'bench/.libsignal/**', ...ISOLATED],
          // The files of one worker share loaded modules (libsodium, the
          // server, the client core) instead of loading them again for each
          // file; every test still builds its own server, store and keys.
          // Measured side by side on this two-core machine under other load
          // (3.6-6.4), alternating: the whole run 44 s and 46 s with this,
          // 91 s and 67 s with every file isolated.
          isolate: false,
        },
      },
      { test: { ...common, name: 'isolated', include: ISOLATED, isolate: true } },
    ],
    // Vitest's default is one worker fewer than the cores: one file at a time
    // on a two-core laptop. Most files spend their time waiting for a server,
    // a socket or a child process, so two run side by side (measured on this
    // two-core machine under other load: the whole run 145 s with one worker,
    // 123 s with two, 121 s with three).
    maxWorkers: 2,
    // CI summarises this report (.ci/run).
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
