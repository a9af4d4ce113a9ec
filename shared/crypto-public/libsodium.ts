/**
 * The one place libsodium is loaded. libsodium-wrappers-sumo compiles libsodium to
 * WebAssembly; the same build runs in the browser and in Node. The "sumo" build is
 * needed: the standard build lacks HMAC-SHA256 and SHA-256, which HKDF (RFC 5869)
 * and Signal's key schedule are built on, and ML-KEM-768, which PQXDH needs.
 *
 * Everything in shared/crypto-public and shared/crypto is synchronous once `ready`
 * has resolved; callers await `cryptoReady()` once at start-up.
 *
 * This module is internal to @envelope/crypto-public: the package's index exports
 * `cryptoReady`, `isCryptoReady` and `randomBytes` (ready.ts), never `sodium()`
 * or the `Sodium` type, because whoever holds the library can decrypt. Only
 * this file's declarations mention libsodium's types, so the build notices a
 * server file that reaches it even by a relative path (README, "Layout"). The server
 * depends on this package; the decrypting package (@envelope/crypto) loads
 * libsodium through its own accessor (shared/crypto/sodium.ts).
 */
import sodiumModule from 'libsodium-wrappers-sumo';
import { CryptoError } from './errors.js';

export type Sodium = typeof sodiumModule;

let loaded: Sodium | null = null;
/** Resolves once libsodium's WebAssembly is compiled (ready.ts awaits it). */
export const libsodiumLoaded: Promise<void> = sodiumModule.ready.then(() => {
  loaded = sodiumModule;
});

/** True once the library is loaded. */
export function libsodiumIsLoaded(): boolean {
  return loaded !== null;
}

/** The loaded library; a clear error (not a crash deep in WASM) if used too early. */
export function sodium(): Sodium {
  if (loaded === null) {
    throw new CryptoError('NOT_READY', 'libsodium is not loaded yet: await cryptoReady() first');
  }
  return loaded;
}
