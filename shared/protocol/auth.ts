/**
 * The exact bytes a device signs with its identity key to prove who it is.
 * Authentication is possession of the identity key, never a password. Each
 * proof names its purpose and covers a fresh server challenge, so a signature
 * for one purpose or one moment cannot be replayed for another.
 */
import { concatBytes, uint32BE, utf8Encode } from '@envelope/crypto-public';

const REGISTER_LABEL = utf8Encode('Envelope register v1\0');
const SESSION_LABEL = utf8Encode('Envelope session v1\0');

/** Signed by a new device when it registers a username. */
export function registrationProof(challenge: Uint8Array, username: string): Uint8Array {
  return concatBytes(REGISTER_LABEL, challenge, utf8Encode(username));
}

/** Signed by a device to open an authenticated session (a bearer token). */
export function sessionProof(challenge: Uint8Array, username: string, deviceId: number): Uint8Array {
  return concatBytes(SESSION_LABEL, challenge, uint32BE(deviceId), utf8Encode(username));
}
