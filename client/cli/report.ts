/**
 * What the CLI prints. stdout carries JSON lines only (for scripts); stderr
 * carries lines for people. A failure is exactly one stderr line and an exit
 * code that says what kind of failure it was (bad input: that line, then the
 * usage text; main.ts).
 */
import { isClientError, type ClientErrorCode } from '@envelope/client-core';
import { UsageError } from './args.js';
import { ProfileLockedError } from './profile-lock.js';

export const EXIT = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  UNKNOWN_USER: 3,
  SERVER_UNREACHABLE: 4,
  KEY_CHANGED: 5,
  NOT_REGISTERED: 6,
  USERNAME_TAKEN: 7,
  AUTH_FAILED: 8,
  PROFILE_LOCKED: 9,
  REPORT_REFUSED: 10,
  /** The server announces a policy mode this app does not know: nothing was sent (fail closed). */
  POLICY_REFUSED: 11,
} as const;

const EXIT_FOR_CODE: Partial<Record<ClientErrorCode, number>> = {
  UNKNOWN_USER: EXIT.UNKNOWN_USER,
  SERVER_UNREACHABLE: EXIT.SERVER_UNREACHABLE,
  RATE_LIMITED: EXIT.SERVER_UNREACHABLE,
  KEY_CHANGED: EXIT.KEY_CHANGED,
  NOT_REGISTERED: EXIT.NOT_REGISTERED,
  USERNAME_TAKEN: EXIT.USERNAME_TAKEN,
  ALREADY_REGISTERED: EXIT.USERNAME_TAKEN,
  AUTH_FAILED: EXIT.AUTH_FAILED,
  // The class was reset: the server no longer has this profile's account, as when it refuses its key.
  CLASS_RESET: EXIT.AUTH_FAILED,
  INVALID_ARGUMENT: EXIT.USAGE,
  REPORT_REJECTED: EXIT.REPORT_REFUSED,
  NOT_REPORTABLE: EXIT.REPORT_REFUSED,
  UNKNOWN_POLICY_MODE: EXIT.POLICY_REFUSED,
};

/** Where one command's output goes: the process's stdout and stderr, or (tests running the CLI in-process) buffers. */
export interface CliOutput {
  /** One JSON line on stdout. */
  json(value: unknown): void;
  /** One line for people on stderr. */
  tell(line: string): void;
}

/** Something a line can be written to: process.stdout, or a test's buffer. */
export interface LineSink {
  write(text: string): unknown;
}

export function cliOutput(stdout: LineSink, stderr: LineSink): CliOutput {
  return {
    json: (value) => stdout.write(`${JSON.stringify(value)}\n`),
    tell: (line) => stderr.write(`envelope: ${line}\n`),
  };
}

/** A failure that has already been worded for people (e.g. with what to do next). */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The one stderr line and the exit code for an error. Never includes keys or message text. */
export function describeFailure(error: unknown): { line: string; exitCode: number } {
  if (error instanceof CliFailure) return { line: error.message, exitCode: error.exitCode };
  if (error instanceof UsageError) return { line: error.message, exitCode: EXIT.USAGE };
  if (error instanceof ProfileLockedError) return { line: error.message, exitCode: EXIT.PROFILE_LOCKED };
  if (isClientError(error)) {
    const contact = error.details.contact;
    switch (error.code) {
      case 'KEY_CHANGED':
        return {
          line: `${contact}'s identity key has changed. Compare safety numbers (safety-number ${contact}), then run \`trust ${contact}\` to accept the new key`,
          exitCode: EXIT.KEY_CHANGED,
        };
      case 'UNKNOWN_USER':
        return { line: contact ? `no user named ${contact} on this server` : error.message, exitCode: EXIT.UNKNOWN_USER };
      case 'NOT_REGISTERED':
        return { line: 'this profile has no account yet: run `register NAME` first', exitCode: EXIT.NOT_REGISTERED };
      default:
        return { line: error.message, exitCode: EXIT_FOR_CODE[error.code] ?? EXIT.FAILED };
    }
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EROFS' || code === 'ENOSPC') return { line: `cannot write the profile: ${(error as Error).message}`, exitCode: EXIT.FAILED };
  return { line: `unexpected error: ${error instanceof Error ? error.message : String(error)}`, exitCode: EXIT.FAILED };
}
