/**
 * The server's transport key (transport-only mode): a long-term X25519 key
 * pair that clients seal each message to (libsodium's crypto_box_seal, as
 * shared/crypto/transport.ts does). It protects a message on its way to the
 * server and nothing more: the server opens every one.
 *
 * Made on first use and kept in DATA_DIR (0600) beside the other secrets, so a
 * restart does not strand messages sealed to the old key. Whoever copies the
 * file can open every transport-only message ever sent through this server;
 * in e2ee mode it opens nothing, because nothing is sealed to it.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CryptoError, fromBase64Url, toBase64Url } from '@envelope/crypto-public';
import { decodeTransportPayload, type TransportPayload } from '@envelope/protocol';
import { sodium } from './sodium.js';

const TRANSPORT_KEY_FILE = 'transport-key.json';
const PRIVATE_FILE_MODE = 0o600;

export interface TransportKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** The key pair in `dataDir`, made (and written 0600) if there is none. The directory must exist. */
export function loadOrCreateTransportKey(dataDir: string): TransportKeyPair {
  const path = join(dataDir, TRANSPORT_KEY_FILE);
  if (existsSync(path)) {
    chmodSync(path, PRIVATE_FILE_MODE);
    const stored = JSON.parse(readFileSync(path, 'utf8')) as { publicKey?: unknown; privateKey?: unknown };
    return {
      publicKey: fromBase64Url(stored.publicKey, 'transport publicKey', 32),
      privateKey: fromBase64Url(stored.privateKey, 'transport privateKey', 32),
    };
  }
  const pair = sodium().crypto_box_keypair();
  const keys = { publicKey: pair.publicKey, privateKey: pair.privateKey };
  writeFileSync(path, JSON.stringify({ publicKey: toBase64Url(keys.publicKey), privateKey: toBase64Url(keys.privateKey) }, null, 2) + '\n', {
    mode: PRIVATE_FILE_MODE,
  });
  return keys;
}

/**
 * Opens an envelope a client sealed to the transport key: the payload inside
 * (transport.ts in @envelope/protocol). DECRYPT_FAILED if it was not sealed to
 * this key or was altered; INVALID_PADDING, UNSUPPORTED_VERSION or
 * INVALID_MESSAGE if what opened is not a payload.
 */
export function openTransportEnvelope(keys: TransportKeyPair, sealed: Uint8Array): TransportPayload & { readonly padded: Uint8Array } {
  let padded: Uint8Array;
  try {
    padded = sodium().crypto_box_seal_open(sealed, keys.publicKey, keys.privateKey);
  } catch {
    throw new CryptoError('DECRYPT_FAILED', 'the envelope does not open with the server’s transport key');
  }
  return { ...decodeTransportPayload(padded), padded };
}
