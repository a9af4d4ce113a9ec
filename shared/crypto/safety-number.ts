/**
 * Safety numbers: Signal's numeric fingerprint, version 0 (as in libsignal's
 * NumericFingerprintGenerator). Each side's 30 digits come from
 *
 *   h = SHA-512(version ‖ key ‖ id ‖ key), then h = SHA-512(h ‖ key) repeated,
 *   `iterations` hashes in all,
 *
 * and the first 30 bytes of h read as six 5-byte big-endian chunks, each mod
 * 100000 and written as five digits. The two 30-digit halves are joined with the
 * smaller first, so both people see the same 60 digits.
 *
 * Keys are hashed exactly as given; the product passes the identity public key
 * prefixed with the type byte 0x05, as Signal serialises identity keys
 * (see `safetyNumberKey`).
 *
 * One side may stand for several devices, each with its own identity key
 * (`safetyNumberKeys`): the "key" hashed is then the devices' serialised keys,
 * sorted, one after another. This is the multi-key form of libsignal's
 * NumericFingerprintGenerator (libsignal-protocol-java, `createFor` with lists
 * of identity keys, `getLogicalKeyBytes`); today's libsignal and Signal's apps
 * take one identity key per account, because a Signal account's linked devices
 * share it. Here every device has its own identity key, so a number over one
 * device's key would let a server add a device that reads along while both
 * people's numbers still match. For a single device the bytes are exactly
 * `safetyNumberKey(key)`, so libsignal's single-key test vector still holds.
 */
import { assertBytes, concatBytes, KEY_TYPE_DJB, CryptoError, cryptoReady, isCryptoReady, sodium } from '@envelope/crypto-public';

export const FINGERPRINT_VERSION = 0;
export const DEFAULT_FINGERPRINT_ITERATIONS = 5200;
const CHUNKS_PER_SIDE = 6;
const CHUNK_BYTES = 5;

/** The bytes a safety number covers for an Ed25519 identity key: 0x05 ‖ key. */
export function safetyNumberKey(identityPublicKey: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(KEY_TYPE_DJB), identityPublicKey);
}

/** Unsigned byte order (libsignal's ByteArrayComparator), so the order of a device list does not change the number. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * The bytes a safety number covers for one side with several devices: each
 * device's 0x05 ‖ key, sorted, concatenated. One key gives `safetyNumberKey(key)`.
 */
export function safetyNumberKeys(identityPublicKeys: readonly Uint8Array[]): Uint8Array {
  if (identityPublicKeys.length === 0) throw new CryptoError('INVALID_ARGUMENT', 'a safety number needs at least one identity key');
  const serialised = identityPublicKeys.map((key) => {
    assertBytes(key, 'identityPublicKey');
    return safetyNumberKey(key);
  });
  return concatBytes(...serialised.sort(compareBytes));
}

function displayHalf(id: Uint8Array, key: Uint8Array, iterations: number): string {
  const s = sodium();
  const version = Uint8Array.of(FINGERPRINT_VERSION >> 8, FINGERPRINT_VERSION & 0xff);
  let hash = s.crypto_hash_sha512(concatBytes(version, key, id, key));
  for (let i = 1; i < iterations; i++) hash = s.crypto_hash_sha512(concatBytes(hash, key));
  let digits = '';
  for (let chunk = 0; chunk < CHUNKS_PER_SIDE; chunk++) {
    let value = 0;
    for (let b = 0; b < CHUNK_BYTES; b++) value = value * 256 + hash[chunk * CHUNK_BYTES + b]!; // 40 bits: exact in a double
    digits += String(value % 100000).padStart(5, '0');
  }
  return digits;
}

function compute(localId: Uint8Array, localKey: Uint8Array, remoteId: Uint8Array, remoteKey: Uint8Array, iterations: number): string {
  const local = displayHalf(localId, localKey, iterations);
  const remote = displayHalf(remoteId, remoteKey, iterations);
  return local <= remote ? local + remote : remote + local;
}

/**
 * The 60-digit safety number of a conversation. Synchronous once libsodium is
 * loaded; before that it returns a promise that resolves when it is.
 */
export function numericFingerprint(
  localId: Uint8Array,
  localKey: Uint8Array,
  remoteId: Uint8Array,
  remoteKey: Uint8Array,
  iterations = DEFAULT_FINGERPRINT_ITERATIONS,
): string | Promise<string> {
  assertBytes(localId, 'localId');
  assertBytes(localKey, 'localKey');
  assertBytes(remoteId, 'remoteId');
  assertBytes(remoteKey, 'remoteKey');
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new CryptoError('INVALID_ARGUMENT', 'iterations must be a positive integer');
  }
  if (isCryptoReady()) return compute(localId, localKey, remoteId, remoteKey, iterations);
  return cryptoReady().then(() => compute(localId, localKey, remoteId, remoteKey, iterations));
}

/** "12345 67890 …": the 60 digits in twelve groups of five, as shown to people. */
export function formatSafetyNumber(digits: string): string[] {
  return digits.match(/\d{5}/g) ?? [];
}
