#!/usr/bin/env node
/**
 * `npm test`: the type check and dependency rules, Vitest (unit and
 * integration) and Playwright (end to end in Chromium). Every step runs even
 * when another one fails, so one broken unit test does not hide the browser
 * tests' verdict; the exit code is non-zero if any step failed, and the last
 * lines say which.
 *
 * All three run at once. None reads what another writes (tsc -b writes only
 * .tsbuild/; Vitest runs the sources through Vite and tsx; Playwright builds
 * the web app into dist/ and starts its own servers on free ports), and each
 * alone leaves a core idle much of the time: Vitest's files wait for servers,
 * sockets and child processes, and Playwright's tests wait for pages. On this
 * project's two-core machine, quiet, three runs each (6 December 2026): one
 * after the other 202, 201 and 206 s; together (and Playwright in the headless
 * shell, e2e/browser.ts) 151, 153 and 158 s, and 177 s with one core kept
 * busy by a spinning process. Vitest prints as it goes; the
 * type check's and then Playwright's output is held back until Vitest is done
 * (and Playwright's until the type check's is out), so no two interleave.
 *
 * Plain Node (no TypeScript, no dependencies), so it runs before anything is
 * built. `npm run test:unit` and `npm run test:e2e` run one part.
 */
import { spawn } from 'node:child_process';

const TYPECHECK = { name: 'type check and dependency rules', command: 'npm', args: ['run', '--silent', 'typecheck'] };
const VITEST = { name: 'unit and integration (Vitest)', command: 'vitest', args: ['run'] };
const PLAYWRIGHT = { name: 'end to end in Chromium (Playwright)', command: 'playwright', args: ['test'] };

/**
 * Runs one step. `held`, if given ({ chunks, live }), collects its output in `chunks` until the
 * caller sets `live`, and prints it as it comes from then on. Resolves with its verdict and duration.
 */
function run(step, held) {
  const started = Date.now();
  return new Promise((resolve) => {
    // npm puts node_modules/.bin on PATH for scripts; `shell` finds the .cmd shims on Windows too.
    const child = spawn(step.command, step.args, {
      stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      shell: process.platform === 'win32',
    });
    if (held) {
      const take = (chunk) => (held.live ? process.stdout.write(chunk) : held.chunks.push(chunk));
      child.stdout.on('data', take);
      child.stderr.on('data', take);
    }
    const finish = (failed, why) => resolve({ name: step.name, failed, why, seconds: Math.round((Date.now() - started) / 1000) });
    child.once('error', (error) => finish(true, error.message));
    child.once('close', (code, signal) => finish(code !== 0, signal ? `killed by ${signal}` : `exit code ${code}`));
  });
}

const heading = (step) => process.stdout.write(`\n== ${step.name}: ${step.command} ${step.args.join(' ')}\n`);

const typecheckOutput = { chunks: [], live: false };
const playwrightOutput = { chunks: [], live: false };
const typecheck = run(TYPECHECK, typecheckOutput);
const playwright = run(PLAYWRIGHT, playwrightOutput);
heading(VITEST);
process.stdout.write(`(${TYPECHECK.name} and ${PLAYWRIGHT.name} run meanwhile; their output follows)\n`);
const vitested = await run(VITEST);
for (const [step, result, output] of [
  [TYPECHECK, typecheck, typecheckOutput],
  [PLAYWRIGHT, playwright, playwrightOutput],
]) {
  heading(step);
  // Printed as it arrives from here on, if the step is still running.
  process.stdout.write(Buffer.concat(output.chunks.splice(0)));
  output.live = true;
  await result;
}
const steps = [await typecheck, vitested, await playwright];

process.stdout.write('\n== npm test\n');
for (const { name, failed, why, seconds } of steps) {
  process.stdout.write(`${failed ? 'FAILED' : 'passed'}: ${name} (${seconds} s${failed ? `, ${why}` : ''})\n`);
}
process.exitCode = steps.some((result) => result.failed) ? 1 : 0;
