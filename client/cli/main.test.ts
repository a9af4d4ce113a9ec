/**
 * The real CLI process on bad input and on --help: no server is needed, as the
 * command line is refused (or answered) before the profile is opened.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE } from './args.js';

const REPO_ROOT = new URL('../../', import.meta.url).pathname;

function envelope(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'client/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ENVELOPE_PROFILE: '', ENVELOPE_SERVER: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

describe('the envelope command on bad input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'envelope-cli-args-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the problem on one line, then prints the usage, exits 2, and leaves the profile untouched', async () => {
    const profile = join(dir, 'never-made');
    const result = await envelope('--profile', profile, 'send', 'bob', 'hi', '--colour', 'red');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`envelope: unknown option --colour\n${USAGE}\n`);
    expect(existsSync(profile)).toBe(false);

    const missing = await envelope('--profile', profile, 'send', 'bob');
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('envelope: send needs TEXT (send NAME TEXT)');
    expect(missing.stderr).toContain(USAGE);
  });

  it('--help prints the usage and exits 0', async () => {
    const result = await envelope('--profile', join(dir, 'p'), 'receive', '--help');
    expect(result).toEqual({ code: 0, stdout: '', stderr: `${USAGE}\n` });
  });
});
