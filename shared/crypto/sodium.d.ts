/**
 * libsodium for the decrypting core. @envelope/crypto-public loads the library
 * and keeps it to itself (its index never hands it out); this package needs the
 * whole of it (X25519, AEAD, ML-KEM) and imports the same module, which
 * crypto-public's `cryptoReady()` has initialised.
 */
import sodiumModule from 'libsodium-wrappers-sumo';
export type Sodium = typeof sodiumModule;
/** The loaded library; a clear error (not a crash deep in WASM) if used too early. */
export declare function sodium(): Sodium;
