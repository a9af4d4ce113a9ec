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
import type sodiumModule from 'libsodium-wrappers-sumo';
import { CryptoError } from './errors.js';

export type Sodium = typeof sodiumModule;

let loaded: Sodium | null = null;
let loading: Promise<void> | null = null;

/**
 * Loads libsodium and compiles its WebAssembly, once (ready.ts awaits it). The
 * import is dynamic and starts on the first call, not when this file loads: the
 * web app's operator and agency pages use this package's byte helpers and
 * constants but never call `cryptoReady()`, so they never download libsodium
 * (about 560 KB of the classroom's bundle).
 */
export function loadLibsodium(): Promise<void> {
  loading ??= import('libsodium-wrappers-sumo').then(async ({ default: library }) => {
    await library.ready;
    loaded = library;
  });
  return loading;
}

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
