/**
 * The server's own secrets, created on first start in DATA_DIR (mode 0600) and
 * reused after: the operator token (so the printed operator link survives a
 * restart), the Ed25519 key that signs sealed-sender certificates, the HMAC
 * key that stamps franking commitments (so a message relayed before a restart
 * can still be reported after it), and the HMAC key that makes sign-in
 * challenges checkable without keeping them. A file from an older version
 * gains the keys it lacks.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64Url, toBase64Url, sodium } from '@envelope/crypto-public';
import { makePrivateDir, PRIVATE_FILE_MODE } from './storage/database.js';

export interface ServerSecrets {
  readonly operatorToken: string;
  readonly certificateSigningKey: { publicKey: Uint8Array; privateKey: Uint8Array };
  readonly frankingKey: Uint8Array;
  /** HMAC key that makes sign-in challenges verifiable without keeping them (domain/challenges.ts). */
  readonly challengeKey: Uint8Array;
}

interface StoredSecrets {
  operatorToken?: string;
  certificateSigningKey?: { publicKey: string; privateKey: string };
  frankingKey?: string;
  challengeKey?: string;
}

const SECRETS_FILE = 'server-secrets.json';

export function loadOrCreateSecrets(dataDir: string, fixedOperatorToken: string | undefined): ServerSecrets {
  makePrivateDir(dataDir);
  const path = join(dataDir, SECRETS_FILE);
  const stored: StoredSecrets = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StoredSecrets) : {};
  let changed = false;
  if (!stored.operatorToken) {
    stored.operatorToken = randomBytes(18).toString('base64url');
    changed = true;
  }
  if (!stored.certificateSigningKey) {
    const keys = sodium().crypto_sign_seed_keypair(new Uint8Array(randomBytes(32)));
    stored.certificateSigningKey = { publicKey: toBase64Url(keys.publicKey), privateKey: toBase64Url(keys.privateKey) };
    changed = true;
  }
  if (!stored.frankingKey) {
    stored.frankingKey = randomBytes(32).toString('base64url');
    changed = true;
  }
  if (!stored.challengeKey) {
    stored.challengeKey = randomBytes(32).toString('base64url');
    changed = true;
  }
  if (changed) writeFileSync(path, JSON.stringify(stored, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });
  // A file written looser by hand or by an older version is tightened too.
  chmodSync(path, PRIVATE_FILE_MODE);
  return {
    operatorToken: fixedOperatorToken ?? stored.operatorToken,
    certificateSigningKey: {
      publicKey: fromBase64Url(stored.certificateSigningKey.publicKey, 'certificateSigningKey.publicKey', 32),
      privateKey: fromBase64Url(stored.certificateSigningKey.privateKey, 'certificateSigningKey.privateKey', 64),
    },
    frankingKey: fromBase64Url(stored.frankingKey, 'frankingKey', 32),
    challengeKey: fromBase64Url(stored.challengeKey, 'challengeKey', 32),
  };
}
