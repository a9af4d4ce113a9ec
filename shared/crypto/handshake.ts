/**
 * The session handshake: X3DH (Signal, "The X3DH Key Agreement Protocol", §3)
 * and its post-quantum extension PQXDH (Signal, "The PQXDH Key Agreement
 * Protocol", §3), which adds one ML-KEM encapsulation to the same key derivation.
 *
 *   DH1 = DH(IK_A, SPK_B)   DH2 = DH(EK_A, IK_B)   DH3 = DH(EK_A, SPK_B)
 *   DH4 = DH(EK_A, OPK_B)   (only with a one-time prekey)
 *   SS  = ML-KEM-768 shared secret to PQPK_B (PQXDH only)
 *   SK  = HKDF(F ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4] [‖ SS])      (X3DH §2.2, PQXDH §2.2)
 *   AD  = Encode(IK_A) ‖ Encode(IK_B)                   (X3DH §3.3)
 *
 * SK is the Double Ratchet's first root key (Double Ratchet §3.3, §7.1). Alice
 * then makes a fresh ratchet key pair and keys her first sending chain with a
 * DH ratchet step against Bob's signed prekey (RatchetInitAlice), and deletes
 * EK_A's private key as soon as SK is derived (X3DH §3.3, PQXDH §3.3): nothing
 * stored in her session can re-derive SK, so a thief of her device cannot read
 * her first messages. libsignal does the same (ratchet.rs,
 * initialize_alice_session: a new `sending_ratchet_key`, then
 * `root_key.create_chain(their_ratchet_key = SPK_B, ...)`).
 *
 * libsignal's KDF yields more than SK: a second 32 bytes key a chain on Bob's
 * signed prekey (Bob's first sending chain, Alice's receiving chain), which Bob
 * replaces before sending anything, since he only creates the session on
 * decrypting Alice's first message (and, in current releases, 32 more for its
 * post-quantum ratchet, which we do not run). We derive SK alone, as the specs do.
 * Sessions made before this change keyed Alice's first chain with that second
 * half and used EK_A as her first ratchet key; Bob still accepts their first
 * messages (see `legacyFirstChainKey`), so queued messages are not lost.
 *
 * A one-time KEM prekey is used when the bundle has one, otherwise the
 * last-resort KEM prekey (PQXDH §3.3). The bundle's signatures are checked before
 * anything else is computed.
 */
import { assertBytes, concatBytes, utf8Encode, wipe, CryptoError, hkdf, randomBytes, sodium } from '@envelope/crypto-public';
import {
  ED25519_PUBLIC_KEY_BYTES,
  MLKEM768_CIPHERTEXT_BYTES,
  PQXDH_INFO,
  X25519_KEY_BYTES,
  X3DH_F_BYTES,
  X3DH_INFO,
} from '@envelope/crypto-public';
import { dh, encodePublicKey, generateDhKeyPair, identityPublicKeyToX25519, type IdentityKeyPair } from './identity.js';
import { verifyPreKeyBundle, type KemPreKey, type OneTimePreKey, type PreKeyBundle, type SignedPreKey } from './prekeys.js';

export type HandshakeKind = 'pqxdh' | 'x3dh';

/** What the initiator sends alongside its first messages so the responder can derive SK (X3DH §3.3). */
export interface InitialHandshake {
  readonly kind: HandshakeKind;
  /** IK_A, Ed25519. */
  readonly identityKey: Uint8Array;
  /** EK_A, X25519. */
  readonly ephemeralKey: Uint8Array;
  readonly signedPreKeyId: number;
  readonly oneTimePreKeyId?: number | undefined;
  readonly kemPreKeyId?: number | undefined;
  readonly kemCiphertext?: Uint8Array | undefined;
}

export interface HandshakeSecrets {
  readonly kind: HandshakeKind;
  /** SK: the Double Ratchet's first root key. */
  readonly rootKey: Uint8Array;
  /** AD: authenticated with every message of the session. */
  readonly associatedData: Uint8Array;
}

/** Bob's side also names the signed prekey used, for the first DH ratchet step (Double Ratchet §3.3). */
export interface ResponderSecrets extends HandshakeSecrets {
  readonly signedPreKey: SignedPreKey;
  /**
   * The second half of a 64-byte KDF output: the first chain key of a session
   * begun before Alice got a fresh first ratchet key (her ratchet key was EK_A).
   * Used only to open the first messages of such a session (session.ts).
   */
  readonly legacyFirstChainKey: Uint8Array;
}

/** The responder's own prekeys, looked up by the ids the initiator names. */
export interface PreKeyLookup {
  signedPreKey(id: number): SignedPreKey | undefined;
  oneTimePreKey(id: number): OneTimePreKey | undefined;
  kemPreKey(id: number): KemPreKey | undefined;
}

const F = new Uint8Array(X3DH_F_BYTES).fill(0xff);
const ZERO_SALT = new Uint8Array(32);
const INFO = { x3dh: utf8Encode(X3DH_INFO), pqxdh: utf8Encode(PQXDH_INFO) } as const;

/** SK = HKDF(F ‖ KM), 32 bytes (X3DH §2.2); `length` 64 also yields the legacy first chain key after it. */
function deriveKeyMaterial(kind: HandshakeKind, keyMaterial: Uint8Array[], length: 32 | 64): Uint8Array {
  const ikm = concatBytes(F, ...keyMaterial);
  const out = hkdf(ikm, ZERO_SALT, INFO[kind], length);
  wipe(ikm, ...keyMaterial); // X3DH §3.3: delete the DH outputs once SK is derived.
  return out;
}

export function associatedDataFor(initiatorIdentity: Uint8Array, responderIdentity: Uint8Array): Uint8Array {
  return concatBytes(encodePublicKey(initiatorIdentity), encodePublicKey(responderIdentity));
}

/**
 * Alice's side (X3DH §3.3, PQXDH §3.3): verify the bundle, derive SK, delete
 * EK_A's private key. Only its public half leaves this function.
 */
export function initiateHandshake(identity: IdentityKeyPair, bundle: PreKeyBundle): { secrets: HandshakeSecrets; initial: InitialHandshake } {
  verifyPreKeyBundle(bundle);
  const kind: HandshakeKind = bundle.kemPreKey ? 'pqxdh' : 'x3dh';
  const remoteIdentityDh = identityPublicKeyToX25519(bundle.identityKey);
  const ephemeral = generateDhKeyPair();
  const keyMaterial = [
    dh(identity.dhPrivateKey, bundle.signedPreKey.publicKey),
    dh(ephemeral.privateKey, remoteIdentityDh),
    dh(ephemeral.privateKey, bundle.signedPreKey.publicKey),
  ];
  if (bundle.oneTimePreKey) keyMaterial.push(dh(ephemeral.privateKey, bundle.oneTimePreKey.publicKey));
  let kemCiphertext: Uint8Array | undefined;
  if (bundle.kemPreKey) {
    // FIPS 203 ML-KEM.Encaps draws 32 random bytes; we supply them (see randomBytes).
    const encapsulated = sodium().crypto_kem_mlkem768_enc_deterministic(bundle.kemPreKey.publicKey, randomBytes(32));
    kemCiphertext = encapsulated.ciphertext;
    keyMaterial.push(encapsulated.sharedSecret);
  }
  const rootKey = deriveKeyMaterial(kind, keyMaterial, 32);
  wipe(ephemeral.privateKey); // X3DH §3.3, PQXDH §3.3: "Alice then deletes her ephemeral private key".
  return {
    secrets: { kind, rootKey, associatedData: associatedDataFor(identity.publicKey, bundle.identityKey) },
    initial: {
      kind,
      identityKey: identity.publicKey,
      ephemeralKey: ephemeral.publicKey,
      signedPreKeyId: bundle.signedPreKey.id,
      oneTimePreKeyId: bundle.oneTimePreKey?.id,
      kemPreKeyId: bundle.kemPreKey?.id,
      kemCiphertext,
    },
  };
}

/**
 * Bob's side (X3DH §3.4, PQXDH §3.4). Only derives; the caller deletes the
 * one-time prekeys it used once the first message has decrypted, so a forged
 * initial message cannot burn them.
 */
export function respondToHandshake(
  identity: IdentityKeyPair,
  initial: InitialHandshake,
  prekeys: PreKeyLookup,
): ResponderSecrets {
  assertBytes(initial.identityKey, 'initial.identityKey', ED25519_PUBLIC_KEY_BYTES);
  assertBytes(initial.ephemeralKey, 'initial.ephemeralKey', X25519_KEY_BYTES);
  const hasKem = initial.kemPreKeyId !== undefined || initial.kemCiphertext !== undefined;
  if (hasKem !== (initial.kind === 'pqxdh') || (hasKem && (initial.kemPreKeyId === undefined || !initial.kemCiphertext))) {
    throw new CryptoError('INVALID_MESSAGE', 'handshake kind and KEM fields disagree');
  }
  const signedPreKey = prekeys.signedPreKey(initial.signedPreKeyId);
  if (!signedPreKey) throw new CryptoError('UNKNOWN_PREKEY', `no signed prekey with id ${initial.signedPreKeyId}`);
  const remoteIdentityDh = identityPublicKeyToX25519(initial.identityKey);
  const keyMaterial = [
    dh(signedPreKey.keyPair.privateKey, remoteIdentityDh),
    dh(identity.dhPrivateKey, initial.ephemeralKey),
    dh(signedPreKey.keyPair.privateKey, initial.ephemeralKey),
  ];
  if (initial.oneTimePreKeyId !== undefined) {
    const oneTime = prekeys.oneTimePreKey(initial.oneTimePreKeyId);
    if (!oneTime) throw new CryptoError('UNKNOWN_PREKEY', `no one-time prekey with id ${initial.oneTimePreKeyId}`);
    keyMaterial.push(dh(oneTime.keyPair.privateKey, initial.ephemeralKey));
  }
  if (initial.kind === 'pqxdh') {
    const kemPreKey = prekeys.kemPreKey(initial.kemPreKeyId!);
    if (!kemPreKey) throw new CryptoError('UNKNOWN_PREKEY', `no KEM prekey with id ${initial.kemPreKeyId}`);
    assertBytes(initial.kemCiphertext, 'initial.kemCiphertext', MLKEM768_CIPHERTEXT_BYTES);
    // ML-KEM decapsulation never fails on a wrong ciphertext: it returns an
    // unrelated secret ("implicit rejection", FIPS 203 §7.3). A tampered
    // ciphertext therefore shows up as a different SK, and the first message's
    // AEAD check fails.
    keyMaterial.push(sodium().crypto_kem_mlkem768_dec(initial.kemCiphertext, kemPreKey.privateKey));
  }
  const out = deriveKeyMaterial(initial.kind, keyMaterial, 64);
  return {
    kind: initial.kind,
    rootKey: out.slice(0, 32), // HKDF's first 32 bytes are the same whatever the length asked for
    associatedData: associatedDataFor(initial.identityKey, identity.publicKey),
    signedPreKey,
    legacyFirstChainKey: out.slice(32),
  };
}
