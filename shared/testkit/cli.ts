/**
 * The command-line client for integration tests, two ways:
 *
 * - `cli()` runs the CLI's own `runCli` (client/cli/run.ts) in this process:
 *   the same argument parsing, profile lock, FileStore, client and output as
 *   the `envelope` command, with stdout and stderr caught in buffers. Starting
 *   a Node process with tsx per command took about two seconds of CPU each,
 *   most of the CLI tests' time.
 * - `cliProcess()` starts the real process (`npm run cli` without npm's own
 *   output), for what only a process shows: its exit code, its streams and
 *   that it ends. cli-chat.test.ts and client/cli/main.test.ts keep using it.
 */
import { spawn } from 'node:child_process';
import type { EnvelopeClientOptions } from '@envelope/client-core';
import { runAgencyCli } from '@envelope/cli/agency.js';
import { runCli } from '@envelope/cli/run.js';
import { PATIENCE_MS, REPO_ROOT } from './harness.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON lines. */
  readonly lines: any[];
}

export interface CliOptions {
  /**
   * $ENVELOPE_PATIENCE, seconds. By default the harness's PATIENCE_MS: a busy
   * machine may take longer than the CLI's default 10 s to answer, and tests
   * wait for the answer, not for the clock. A test of a server that is down
   * sets it short, since the CLI keeps retrying until its patience runs out.
   */
  readonly patienceSeconds?: number;
  /** The network the in-process CLI's client uses (e.g. policy-rewrite.ts); the real one by default. */
  readonly network?: Pick<EnvelopeClientOptions, 'fetch' | 'WebSocket'>;
}

function cliEnv(options: CliOptions): NodeJS.ProcessEnv {
  return { ...process.env, ENVELOPE_PATIENCE: String(options.patienceSeconds ?? PATIENCE_MS / 1000) };
}

function result(code: number, stdout: string, stderr: string): CliResult {
  const lines = stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
  return { code, stdout, stderr, lines };
}

/** One CLI command run in this process (see above). */
export function cli(serverUrl: string, profile: string, ...args: string[]): Promise<CliResult> {
  return cliWith({}, serverUrl, profile, ...args);
}

export async function cliWith(options: CliOptions, serverUrl: string, profile: string, ...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--server', serverUrl, '--profile', profile, ...args], {
    env: cliEnv(options),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    ...(options.network ? { network: options.network } : {}),
  });
  return result(code, stdout, stderr);
}

/**
 * One command of the agency's CLI (`npm run agency`, client/cli/agency.ts), run
 * in this process like `cli()`; `tokens` are its environment (ENVELOPE_AGENCY_TOKEN,
 * and ENVELOPE_OPERATOR_TOKEN for the breach).
 */
export async function agencyCli(serverUrl: string, tokens: { agency: string; operator?: string }, ...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runAgencyCli(['--server', serverUrl, ...args], {
    env: { ENVELOPE_AGENCY_TOKEN: tokens.agency, ...(tokens.operator ? { ENVELOPE_OPERATOR_TOKEN: tokens.operator } : {}) },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return result(code, stdout, stderr);
}

/** One CLI command as its own process, `node --import tsx client/cli/main.ts` (see above). */
export function cliProcess(serverUrl: string, profile: string, ...args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'client/cli/main.ts', '--server', serverUrl, '--profile', profile, ...args], {
    cwd: REPO_ROOT,
    env: cliEnv({}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(result(code ?? -1, stdout, stderr)));
  });
}
