/**
 * transport-only mode (@envelope/protocol policy.ts): a message sealed to the
 * server's transport key with libsodium's crypto_box_seal (an ephemeral
 * X25519 key, XSalsa20-Poly1305). It protects the message on the way to the
 * server only: the server opens it (server/lawful-access/) and reads it. No
 * ratchet, no forward secrecy: the key is the server's, long-term.
 *
 * The caller passes the padded payload (@envelope/protocol transport.ts:
 * encodeTransportPayload pads it to the message buckets).
 */
import { assertBytes } from '@envelope/crypto-public';
import { sodium } from './sodium.js';

/** Bytes crypto_box_seal adds: the ephemeral public key and the Poly1305 tag. */
export const TRANSPORT_SEAL_OVERHEAD = 48;

/** `padded`, sealed to `serverKey` (a 32-byte X25519 public key). */
export function sealToServer(serverKey: Uint8Array, padded: Uint8Array): Uint8Array {
  assertBytes(serverKey, 'serverKey', 32);
  assertBytes(padded, 'padded');
  return sodium().crypto_box_seal(padded, serverKey);
}
