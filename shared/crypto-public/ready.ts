/**
 * Start-up and randomness: what every package (the server included) may call.
 * libsodium itself stays in libsodium.ts, which this package never exports.
 */
import { libsodiumIsLoaded, loadLibsodium } from './libsodium.js';

/** Resolves once libsodium's WebAssembly is compiled. Safe to await many times. */
export async function cryptoReady(): Promise<void> {
  await loadLibsodium();
}

/** True once `cryptoReady()` has resolved. */
export function isCryptoReady(): boolean {
  return libsodiumIsLoaded();
}

/**
 * Cryptographically secure random bytes from the platform (Web Crypto's
 * getRandomValues, in browsers and Node alike). libsodium's own randombytes in
 * this build pulls the same source four bytes per call, which made every key
 * generation cost ~60 µs more; so we draw randomness here and hand it to
 * libsodium's seeded functions.
 */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let offset = 0; offset < length; offset += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
  }
  return out;
}
