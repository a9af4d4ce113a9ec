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
 * The KDF yields 64 bytes, not 32: the Double Ratchet's first root key and the
 * first chain key, as libsignal derives them. Alice's ephemeral key EK_A then
 * serves as her first ratchet key, so that first chain is the one keyed by
 * DH(EK_A, SPK_B) — DH3, already inside SK. The textbook integration (Double
 * Ratchet §7.1) instead has Alice make a second key pair and one more DH with
 * SPK_B; that DH adds no secret the handshake lacks, and dropping it saves two
 * X25519 operations per session start. Every later chain comes from a fresh
 * DH ratchet step as usual.
 *
 * A one-time KEM prekey is used when the bundle has one, otherwise the
 * last-resort KEM prekey (PQXDH §3.3). The bundle's signatures are checked before
 * anything else is computed.
 */
import { assertBytes, concatBytes, utf8Encode, wipe } from './bytes.js';
import {
  ED25519_PUBLIC_KEY_BYTES,
  MLKEM768_CIPHERTEXT_BYTES,
  PQXDH_INFO,
  X25519_KEY_BYTES,
  X3DH_F_BYTES,
  X3DH_INFO,
} from './constants.js';
import { CryptoError } from './errors.js';
import { hkdf } from './hkdf.js';
import { dh, encodePublicKey, generateDhKeyPair, identityPublicKeyToX25519, type DhKeyPair, type IdentityKeyPair } from './identity.js';
import { verifyPreKeyBundle, type KemPreKey, type OneTimePreKey, type PreKeyBundle, type SignedPreKey } from './prekeys.js';
import { randomBytes, sodium } from './sodium.js';

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
  /** The Double Ratchet's first root key. */
  readonly rootKey: Uint8Array;
  /** The chain key of the first chain: Alice sends on it, keyed by EK_A. */
  readonly chainKey: Uint8Array;
  /** AD: authenticated with every message of the session. */
  readonly associatedData: Uint8Array;
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

function deriveSecrets(kind: HandshakeKind, keyMaterial: Uint8Array[], associatedData: Uint8Array): HandshakeSecrets {
  const ikm = concatBytes(F, ...keyMaterial);
  const out = hkdf(ikm, ZERO_SALT, INFO[kind], 64);
  wipe(ikm, ...keyMaterial); // X3DH §3.3: delete the DH outputs once SK is derived.
  return { kind, rootKey: out.slice(0, 32), chainKey: out.slice(32), associatedData };
}

export function associatedDataFor(initiatorIdentity: Uint8Array, responderIdentity: Uint8Array): Uint8Array {
  return concatBytes(encodePublicKey(initiatorIdentity), encodePublicKey(responderIdentity));
}

/**
 * Alice's side (X3DH §3.3, PQXDH §3.3): verify the bundle, then derive SK.
 * Returns EK_A's key pair for use as her first ratchet key (see above).
 */
export function initiateHandshake(
  identity: IdentityKeyPair,
  bundle: PreKeyBundle,
): { secrets: HandshakeSecrets; initial: InitialHandshake; ephemeral: DhKeyPair } {
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
  return {
    secrets: deriveSecrets(kind, keyMaterial, associatedDataFor(identity.publicKey, bundle.identityKey)),
    ephemeral,
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
): HandshakeSecrets {
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
  return deriveSecrets(initial.kind, keyMaterial, associatedDataFor(initial.identityKey, identity.publicKey));
}
