/**
 * X25519 by Node's own crypto (OpenSSL), for Node clients: the command-line
 * client installs it at start (run.ts), the benchmark times it beside
 * libsodium's (bench/crypto.ts). The browser keeps libsodium's WebAssembly: the
 * Web Crypto API has X25519, but only asynchronously, and the ratchet is
 * synchronous.
 *
 * One operation costs about 39 µs in OpenSSL against about 100 µs in
 * libsodium's WebAssembly, measured side by side on 6 December 2026; what costs
 * here is turning raw keys into OpenSSL's key objects. Public keys are imported
 * through JWK (about 11 µs; a DER import went through OpenSSL 3's decoders and
 * took about 900 µs) and the last 1,024 are kept by value: they are public, and
 * a client meets the same few (its contacts' identity and signed prekeys) again
 * and again. A private key costs about 40 µs to import (OpenSSL derives its
 * public half), so each is kept only as long as the very array that holds it
 * (a WeakMap keyed by that array, with a copy of its bytes checked on every use
 * in case the array was overwritten): a key outlives nothing that held it.
 * A key pair generated here keeps the private key object it was made from.
 *
 * Equivalence with libsodium (RFC 7748's vectors, random pairs, the refusal of
 * every low-order point) is tested in native-x25519.test.ts.
 */
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { bytesEqual } from '@envelope/crypto-public';
import { useX25519Backend, x25519Backend, type DhKeyPair, type X25519Backend } from '@envelope/crypto';

const PUBLIC_KEYS_KEPT = 1_024;
const publicKeys = new Map<string, KeyObject>();
const privateKeys = new WeakMap<Uint8Array, { readonly bytes: Uint8Array; readonly key: KeyObject }>();

const X_PLACEHOLDER = 'A'.repeat(43);

const base64Url = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const x = base64Url(publicKey);
  let key = publicKeys.get(x);
  if (key) return key;
  key = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x }, format: 'jwk' });
  if (publicKeys.size >= PUBLIC_KEYS_KEPT) publicKeys.delete(publicKeys.keys().next().value!);
  publicKeys.set(x, key);
  return key;
}

function privateKeyObject(privateKey: Uint8Array): KeyObject {
  const kept = privateKeys.get(privateKey);
  if (kept && bytesEqual(kept.bytes, privateKey)) return kept.key;
  // Node's JWK import requires an `x` but does not read it: OpenSSL derives the public half
  // from `d` itself. A placeholder saves computing it twice; selfTest() checks this holds.
  const key = createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: base64Url(privateKey), x: X_PLACEHOLDER }, format: 'jwk' });
  privateKeys.set(privateKey, { bytes: privateKey.slice(), key });
  return key;
}

export const nativeX25519: X25519Backend = {
  name: "Node's crypto (OpenSSL)",
  scalarMult: (privateKey, publicKey) => {
    const secret = diffieHellman({ privateKey: privateKeyObject(privateKey), publicKey: publicKeyObject(publicKey) });
    return new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength);
  },
  generateKeyPair: (): DhKeyPair => {
    const pair = generateKeyPairSync('x25519');
    const jwk = pair.privateKey.export({ format: 'jwk' });
    const privateKey = new Uint8Array(Buffer.from(jwk.d!, 'base64url'));
    const publicKey = new Uint8Array(Buffer.from(jwk.x!, 'base64url'));
    privateKeys.set(privateKey, { bytes: privateKey.slice(), key: pair.privateKey });
    return { publicKey, privateKey };
  },
};

/**
 * Whether this Node's crypto gives RFC 7748 §6.1's answers through the imports above (and so
 * reads `d`, not the placeholder `x`); installNativeX25519 uses the backend only if it does.
 */
export function selfTest(): boolean {
  const hex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
  try {
    const alicePrivate = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobPublic = hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = hex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
    const basePoint = new Uint8Array(32);
    basePoint[0] = 9;
    const alicePublic = hex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    return bytesEqual(nativeX25519.scalarMult(alicePrivate, bobPublic), shared) && bytesEqual(nativeX25519.scalarMult(alicePrivate.slice(), basePoint), alicePublic);
  } catch {
    return false;
  }
}

/** Installs Node's X25519 for this process if it passes selfTest(); says which backend is in use. */
export function installNativeX25519(): X25519Backend {
  if (selfTest()) useX25519Backend(nativeX25519);
  return x25519Backend();
}
