/**
 * libsodium, loaded for the server's one exception. Only this package's own
 * files use it (to open what a policy mode sealed to the server); its index
 * never exports it, and surface-check.ts fails the build if it ever does.
 */
import sodiumModule from 'libsodium-wrappers-sumo';
import { CryptoError } from '@envelope/crypto-public';

export type Sodium = typeof sodiumModule;

let loaded: Sodium | null = null;

/** Resolves once libsodium's WebAssembly is compiled. */
export async function lawfulAccessReady(): Promise<void> {
  await sodiumModule.ready;
  loaded = sodiumModule;
}

export function sodium(): Sodium {
  if (loaded === null) throw new CryptoError('NOT_READY', 'libsodium is not loaded yet: await lawfulAccessReady() first');
  return loaded;
}
