/**
 * The agency's credential for the escrow routes: a token of its own, not the
 * operator's. A minimal stand-in, written because the intercept console's
 * (intercept-token.ts, on another branch) was not merged yet: it reads and
 * writes the SAME file in the same form (DATA_DIR/agency-token.json,
 * {"agencyToken": "..."}, 0600), so the two agree on one agency token, and on
 * merge this file can give way to that one.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ESCROW_AGENCY_TOKEN_FILE = 'agency-token.json';
const PRIVATE_FILE_MODE = 0o600;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
/** 18 random bytes: 24 base64url characters, as the operator token. */
const TOKEN_BYTES = 18;

/** The agency token in DATA_DIR, made (0600) on first use. The directory must exist. */
export function loadOrCreateEscrowAgencyToken(dataDir: string): string {
  const path = join(dataDir, ESCROW_AGENCY_TOKEN_FILE);
  if (existsSync(path)) {
    chmodSync(path, PRIVATE_FILE_MODE);
    const stored = (JSON.parse(readFileSync(path, 'utf8')) as { agencyToken?: unknown }).agencyToken;
    if (typeof stored === 'string' && TOKEN_PATTERN.test(stored)) return stored;
    throw new Error(`${path} holds no valid agency token: delete the file to make a new one`);
  }
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  writeFileSync(path, JSON.stringify({ agencyToken: token }, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });
  return token;
}

/** Constant-time comparison of a presented bearer token. */
export function agencyTokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
