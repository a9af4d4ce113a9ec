#!/usr/bin/env node
/**
 * `npm test`: the type check and dependency rules, then Vitest (unit and integration), then
 * Playwright (end to end in Chromium). Every step runs even when an earlier
 * one fails, so one broken unit test does not hide the browser tests' verdict;
 * the exit code is non-zero if any step failed, and the last lines say which.
 *
 * Plain Node (no TypeScript, no dependencies), so it runs before anything is
 * built. `npm run test:unit` and `npm run test:e2e` run one step each.
 */
import { spawnSync } from 'node:child_process';

const STEPS = [
  // tsc -b over the packages' project references, then the dependency rules (build-rules/).
  { name: 'type check and dependency rules', command: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'unit and integration (Vitest)', command: 'vitest', args: ['run'] },
  { name: 'end to end in Chromium (Playwright)', command: 'playwright', args: ['test'] },
];

const results = [];
for (const step of STEPS) {
  process.stdout.write(`\n== ${step.name}: ${step.command} ${step.args.join(' ')}\n`);
  // npm puts node_modules/.bin on PATH for scripts; `shell` finds the .cmd shims on Windows too.
  const run = spawnSync(step.command, step.args, { stdio: 'inherit', shell: process.platform === 'win32' });
  const failed = run.status !== 0;
  const why = run.error ? run.error.message : run.signal ? `killed by ${run.signal}` : `exit code ${run.status}`;
  results.push({ name: step.name, failed, why });
}

process.stdout.write('\n== npm test\n');
for (const { name, failed, why } of results) process.stdout.write(`${failed ? 'FAILED' : 'passed'}: ${name}${failed ? ` (${why})` : ''}\n`);
process.exitCode = results.some((result) => result.failed) ? 1 : 0;
