/**
 * Protocol constants in one place: KDF labels, key sizes and the bounds that keep
 * a hostile peer from making us store or compute without limit.
 */

/** Wire/state format version of everything in this folder. Bump on any change. */
export const PROTOCOL_VERSION = 1;

// --- Session message framing (session.ts): the first byte of every envelope body ---
/** A Double Ratchet message of an existing session. */
export const FRAME_RATCHET = 0x01;
/** A message that opens a session (carries the X3DH/PQXDH handshake). Visible to the relay. */
export const FRAME_PREKEY = 0x02;
/**
 * A sealed-sender envelope (sealed-sender.ts) around one of the two above: the
 * relay sees only this byte, so it can no longer tell a first contact from the rest.
 */
export const FRAME_SEALED = 0x03;

// --- Key sizes (libsodium) ---
export const X25519_KEY_BYTES = 32;
export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SECRET_KEY_BYTES = 64;
export const ED25519_SIGNATURE_BYTES = 64;
export const MLKEM768_PUBLIC_KEY_BYTES = 1184;
export const MLKEM768_SECRET_KEY_BYTES = 2400;
export const MLKEM768_CIPHERTEXT_BYTES = 1088;
export const MLKEM768_SHARED_SECRET_BYTES = 32;
export const AEAD_KEY_BYTES = 32;
export const AEAD_NONCE_BYTES = 24;
export const AEAD_TAG_BYTES = 16;

// --- Public key encodings (X3DH §2.5 "Encode(PK)"; PQXDH §2.5 "EncodeKEM(PK)") ---
/** Type byte before a Curve25519/Ed25519 public key, as Signal serialises identity keys. */
export const KEY_TYPE_DJB = 0x05;
/** Type byte before an ML-KEM-768 public key (our own value; Signal uses 0x08 for Kyber-1024). */
export const KEY_TYPE_MLKEM768 = 0x0a;

// --- X3DH / PQXDH key derivation (X3DH §2.2, PQXDH §2.2) ---
/** "F": 32 0xFF bytes prepended to the DH outputs, for domain separation from XEdDSA (X3DH §2.2). */
export const X3DH_F_BYTES = 32;
export const X3DH_INFO = 'Envelope_X3DH_X25519_SHA-256';
export const PQXDH_INFO = 'Envelope_PQXDH_X25519_SHA-256_ML-KEM-768';

// --- Double Ratchet (Double Ratchet §5.2 "Recommended cryptographic algorithms") ---
export const ROOT_KDF_INFO = 'Envelope_Ratchet_RootStep';
/** Chain KDF inputs: HMAC(ck, 0x01) is the message key, HMAC(ck, 0x02) the next chain key (as libsignal). */
export const CHAIN_KDF_MESSAGE_KEY_SEED = Uint8Array.of(0x01);
export const CHAIN_KDF_CHAIN_KEY_SEED = Uint8Array.of(0x02);

/**
 * Bounds on skipped message keys (Double Ratchet §4 "MAX_SKIP"). The values are
 * libsignal's: a single message may jump at most 25,000 keys ahead in one chain;
 * at most 2,000 skipped keys are kept in total (oldest dropped first); skipped
 * keys are kept for at most 5 old receiving chains.
 */
export const MAX_FORWARD_JUMP = 25_000;
export const MAX_STORED_SKIPPED_KEYS = 2_000;
export const MAX_OLD_RECEIVING_CHAINS = 5;

// --- Sealed sender ---
/**
 * Format version of the sealed-sender envelope (sealed-sender.ts), apart from
 * PROTOCOL_VERSION because only this layer changed: 2 pads the inner layer to a
 * size class; 1 was unpadded, and its sizes told a first contact and the
 * sender's name length. A version-1 envelope is refused as UNSUPPORTED_VERSION.
 */
export const SEALED_SENDER_VERSION = 2;
export const SEALED_SENDER_EPHEMERAL_INFO = 'Envelope_SealedSender_Ephemeral';
export const SEALED_SENDER_STATIC_INFO = 'Envelope_SealedSender_Static';

// --- Message franking ---
export const FRANKING_KEY_BYTES = 32;
export const FRANKING_COMMITMENT_LABEL = 'Envelope_Franking_Commitment';
export const FRANKING_STAMP_LABEL = 'Envelope_Franking_ServerStamp';
