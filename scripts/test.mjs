#!/usr/bin/env node
/**
 * `npm test`: the type check and dependency rules, Vitest (unit and
 * integration), then Playwright (end to end in Chromium). Every step runs even
 * when another one fails, so one broken unit test does not hide the browser
 * tests' verdict; the exit code is non-zero if any step failed, and the last
 * lines say which.
 *
 * The type check runs at the same time as Vitest: neither reads what the other
 * writes (tsc -b writes only .tsbuild/, and the tests run the sources through
 * Vite and tsx), and tsc uses one core while many Vitest files wait for a
 * server or a socket. Its output is held back and printed whole when it ends,
 * after Vitest's, so the two never interleave. Playwright runs last, alone: a
 * browser and its server are the heaviest load.
 *
 * Plain Node (no TypeScript, no dependencies), so it runs before anything is
 * built. `npm run test:unit` and `npm run test:e2e` run one part.
 */
import { spawn } from 'node:child_process';

const TYPECHECK = { name: 'type check and dependency rules', command: 'npm', args: ['run', '--silent', 'typecheck'] };
const VITEST = { name: 'unit and integration (Vitest)', command: 'vitest', args: ['run'] };
const PLAYWRIGHT = { name: 'end to end in Chromium (Playwright)', command: 'playwright', args: ['test'] };

/** Runs one step; `held` collects its output instead of printing it. Resolves with its verdict and duration. */
function run(step, held) {
  const started = Date.now();
  return new Promise((resolve) => {
    // npm puts node_modules/.bin on PATH for scripts; `shell` finds the .cmd shims on Windows too.
    const child = spawn(step.command, step.args, {
      stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      shell: process.platform === 'win32',
    });
    if (held) {
      child.stdout.on('data', (chunk) => held.push(chunk));
      child.stderr.on('data', (chunk) => held.push(chunk));
    }
    const finish = (failed, why) => resolve({ name: step.name, failed, why, seconds: Math.round((Date.now() - started) / 1000) });
    child.once('error', (error) => finish(true, error.message));
    child.once('close', (code, signal) => finish(code !== 0, signal ? `killed by ${signal}` : `exit code ${code}`));
  });
}

const heading = (step) => process.stdout.write(`\n== ${step.name}: ${step.command} ${step.args.join(' ')}\n`);

const typecheckOutput = [];
const typecheck = run(TYPECHECK, typecheckOutput);
heading(VITEST);
process.stdout.write(`(${TYPECHECK.name} runs meanwhile; its output follows)\n`);
const vitest = await run(VITEST);
const typechecked = await typecheck;
heading(TYPECHECK);
process.stdout.write(Buffer.concat(typecheckOutput));
heading(PLAYWRIGHT);
const playwright = await run(PLAYWRIGHT);

process.stdout.write('\n== npm test\n');
for (const { name, failed, why, seconds } of [typechecked, vitest, playwright]) {
  process.stdout.write(`${failed ? 'FAILED' : 'passed'}: ${name} (${seconds} s${failed ? `, ${why}` : ''})\n`);
}
process.exitCode = [typechecked, vitest, playwright].some((result) => result.failed) ? 1 : 0;
