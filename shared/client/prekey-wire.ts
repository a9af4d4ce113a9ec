/** This device's prekeys in the form the server's API takes them (shared/protocol/http.ts): public halves only. */
import { toBase64Url } from '@envelope/crypto-public';
import type { KemPreKey, OneTimePreKey, SignedPreKey } from '@envelope/crypto';
import type { PreKeyUpload } from '@envelope/protocol';

export type WireSignedPreKey = NonNullable<PreKeyUpload['signedPreKey']>;
export type WireOneTimePreKey = NonNullable<PreKeyUpload['oneTimePreKeys']>[number];
export type WireKemPreKey = NonNullable<PreKeyUpload['kemPreKeys']>[number];

export function wireSignedPreKey(key: SignedPreKey): WireSignedPreKey {
  return { id: key.id, publicKey: toBase64Url(key.keyPair.publicKey), signature: toBase64Url(key.signature) };
}
export function wireOneTimePreKey(key: OneTimePreKey): WireOneTimePreKey {
  return { id: key.id, publicKey: toBase64Url(key.keyPair.publicKey) };
}
export function wireKemPreKey(key: KemPreKey): WireKemPreKey {
  return { id: key.id, publicKey: toBase64Url(key.publicKey), signature: toBase64Url(key.signature), lastResort: key.lastResort };
}
