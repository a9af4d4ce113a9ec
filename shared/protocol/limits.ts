/**
 * Every bound the protocol enforces, with the reason beside it. The server
 * checks them before anything is stored; clients check them before sending.
 */
import { MLKEM768_PUBLIC_KEY_BYTES } from '@envelope/crypto-public';

/** Lowercase so "Alice" and "alice" cannot be two people; short enough to read on a projector. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_-]{1,31}$/;
export const USERNAME_RULE = '2 to 32 characters: lowercase letters, digits, "-" or "_", starting with a letter or digit';
/** The longest name USERNAME_PATTERN admits (for buffers sized ahead, e.g. the relay's franking stamp). */
export const MAX_USERNAME_CHARS = 32;

/** Client-chosen message ids (random, e.g. 16 bytes base64url). */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** The longest id MESSAGE_ID_PATTERN admits. */
export const MAX_MESSAGE_ID_CHARS = 64;

export const MAX_DEVICE_ID = 2 ** 31 - 1;
export const MAX_PREKEY_ID = 2 ** 32 - 1;

/** One-time prekeys per upload: enough for a classroom, small enough to validate quickly. */
export const MAX_ONE_TIME_PREKEYS_PER_UPLOAD = 200;
/** One-time KEM prekeys per upload (each is 1,184 bytes: keep uploads under ~400 KB). */
export const MAX_KEM_PREKEYS_PER_UPLOAD = 100;
/** The server tells a device to refill below this many one-time prekeys of either kind. */
export const PREKEY_LOW_WATERMARK = 10;

/**
 * Largest envelope body, in bytes: the largest padded plaintext (64 KiB), the
 * PQXDH first-message header (~1.2 KB), the AEAD tag, sealed-sender layers and
 * a sender certificate, rounded up. A sealed envelope is always padded to that
 * whole overhead (1,468 bytes above its plaintext bucket: sealed-sender.ts).
 */
export const MAX_ENVELOPE_BODY_BYTES = 70 * 1024;
/** Largest WebSocket frame the server accepts; ws refuses larger ones before buffering them (close 1009). */
export const MAX_WS_FRAME_BYTES = 128 * 1024;
/** Largest HTTP JSON body: a full prekey upload (100 KEM prekeys base64url ≈ 170 KB). */
export const MAX_HTTP_BODY_BYTES = 512 * 1024;
/** Acks per frame. */
export const MAX_ACK_IDS = 256;

/** Sizes of the byte fields, for the schemas. */
export const KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
/**
 * A sign-in challenge: 16 random bytes, its expiry (8 bytes), and the server's
 * HMAC-SHA256 over both (32), so the server keeps no state per challenge
 * (server/domain/challenges.ts). Clients treat it as opaque bytes to sign.
 */
export const CHALLENGE_BYTES = 56;
export const KEM_PUBLIC_KEY_BYTES = MLKEM768_PUBLIC_KEY_BYTES;

/** Declared age bands, as platforms ask at sign-up (used by the metadata signals). */
export const AGE_BANDS = ['under-13', '13-15', '16-17', 'adult'] as const;
