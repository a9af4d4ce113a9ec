/**
 * The birational map from an Ed25519 public key to its X25519 form
 * (RFC 7748 §4.1: u = (1 + y) / (1 - y) mod p), computed in BigInt.
 *
 * Why not libsodium's crypto_sign_ed25519_pk_to_curve25519? It also checks that
 * the point lies in the prime-order subgroup, a full scalar multiplication that
 * costs as much as a Diffie-Hellman (~80 µs in WASM here, against ~20 µs for
 * this), and a session start converts the peer's identity key each time. X25519
 * does not need that check: scalars are clamped to multiples of the cofactor,
 * which removes any small-order component.
 *
 * What is checked here: the encoding is canonical (y < p) and is not the
 * identity point (y = 1, where 1 - y has no inverse). A small-order key still
 * converts, and X25519 with it yields all zeros, which libsodium refuses (see
 * identity.ts `dh`). A y that is not on the curve gives a u on the quadratic
 * twist; X25519 is designed to be safe for any u (RFC 7748 §7, "twist
 * security"), and the handshake that used it would fail to authenticate. Keys
 * whose signatures we verify are fully validated by libsodium's verify.
 *
 * Only public keys pass through here, so variable-time arithmetic is fine.
 */
import { CryptoError } from '@envelope/crypto-public';

const P = (1n << 255n) - 19n;
const Y_MASK = (1n << 255n) - 1n;

function fromLittleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

function toLittleEndian32(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

/** Modular inverse by the extended Euclidean algorithm (variable time: public inputs only). */
function invertModP(a: bigint): bigint {
  let t = 0n;
  let newT = 1n;
  let r = P;
  let newR = a;
  while (newR !== 0n) {
    const q = r / newR;
    [t, newT] = [newT, t - q * newT];
    [r, newR] = [newR, r - q * newR];
  }
  return t < 0n ? t + P : t;
}

export function edwardsToMontgomery(ed25519PublicKey: Uint8Array): Uint8Array {
  // The top bit of the encoding is the sign of x; u depends on y alone.
  const y = fromLittleEndian(ed25519PublicKey) & Y_MASK;
  if (y >= P) throw new CryptoError('INVALID_KEY', 'identity key is not a canonical Ed25519 encoding');
  if (y === 1n) throw new CryptoError('INVALID_KEY', 'identity key is the neutral point');
  const u = ((1n + y) * invertModP((1n - y + P) % P)) % P;
  return toLittleEndian32(u);
}
