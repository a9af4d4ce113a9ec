/** Runs the real command-line client (`npm run cli` without npm's own output), for integration tests. */
import { spawn } from 'node:child_process';
import { PATIENCE_MS, REPO_ROOT } from './harness.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON lines. */
  readonly lines: any[];
}

export function cli(serverUrl: string, profile: string, ...args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'client/cli/main.ts', '--server', serverUrl, '--profile', profile, ...args], {
    cwd: REPO_ROOT,
    // A busy machine may take longer than the default 10 s to answer; tests wait for the answer, not for the clock.
    env: { ...process.env, ENVELOPE_PATIENCE: String(PATIENCE_MS / 1000) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      const lines = stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line));
      resolve({ code: code ?? -1, stdout, stderr, lines });
    });
  });
}
