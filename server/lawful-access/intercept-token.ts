/**
 * The agency's credential: a token of its own, not the operator's, so the
 * person who runs the server and the agency that reads through it hold two
 * keys (the operator token opens nothing here, and this one nothing of the
 * operator's). Made on first start in DATA_DIR, in a file of its own (0600),
 * or fixed by AGENCY_TOKEN= (server/config.ts checks its form).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const AGENCY_TOKEN_FILE = 'agency-token.json';
const PRIVATE_FILE_MODE = 0o600;
/** The operator token's form (server/config.ts): 16 to 128 base64url characters. */
const AGENCY_TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
/** 18 random bytes: 24 base64url characters, as the operator token. */
const TOKEN_BYTES = 18;

/** `fixed` if given; otherwise the token in DATA_DIR's agency file, made (0600) on first start. The directory must exist. */
export function loadOrCreateAgencyToken(dataDir: string, fixed: string | undefined): string {
  if (fixed !== undefined) return fixed;
  const path = join(dataDir, AGENCY_TOKEN_FILE);
  if (existsSync(path)) {
    // A file written looser by hand is tightened.
    chmodSync(path, PRIVATE_FILE_MODE);
    const stored = (JSON.parse(readFileSync(path, 'utf8')) as { agencyToken?: unknown }).agencyToken;
    if (typeof stored === 'string' && AGENCY_TOKEN_PATTERN.test(stored)) return stored;
    throw new Error(`${path} holds no valid agency token: delete the file to make a new one`);
  }
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  writeFileSync(path, JSON.stringify({ agencyToken: token }, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });
  return token;
}

/** Constant-time comparison (a token is not guessed a character at a time). */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
