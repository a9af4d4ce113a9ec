/**
 * Delivery credentials for sealed sender: who may leave an envelope in a
 * mailbox without saying who they are.
 *
 * Signal's design (Signal-Android UnidentifiedAccess.deriveAccessKeyFrom;
 * libsignal ProfileKey.derive_access_key; Signal-Server
 * auth/UnidentifiedAccessUtil.checkUnidentifiedAccess): every account has a
 * random 32-byte *profile key*, which it gives to the people it writes to,
 * inside the encrypted messages. From it comes a 16-byte *unidentified access
 * key*, which the account registers with the server. A sealed send must carry
 * the recipient's access key (Signal's `Unidentified-Access-Key` header); the
 * server compares it in constant time and refuses the envelope otherwise. So
 * only people the recipient has written to can send to it anonymously, and a
 * stranger's anonymous flood is refused before anything is stored.
 *
 * Where we depart: Signal derives the access key as the first 16 bytes of
 * AES-256-GCM encrypting 16 zero bytes under the profile key (a zero nonce).
 * libsodium offers AES-256-GCM only on CPUs with AES-NI, and never in its
 * WebAssembly build (crypto_aead_aes256gcm_is_available() is false there), so
 * the browser could not compute it. We use HKDF-SHA256 (hkdf.ts) instead:
 * like AES under a secret key, it is a pseudorandom function of the profile
 * key, so the access key reveals nothing of the profile key, and knowing one
 * account's access key gives no other. The length (16 bytes) is Signal's.
 */
import { assertBytes, utf8Encode } from './bytes.js';
import { hkdf } from './hkdf.js';
import { randomBytes } from './sodium.js';

/** As Signal's (ProfileKey, 32 bytes). */
export const PROFILE_KEY_BYTES = 32;
/** As Signal's (UnidentifiedAccessUtil.UNIDENTIFIED_ACCESS_KEY_LENGTH): 128 bits cannot be guessed. */
export const ACCESS_KEY_BYTES = 16;

const ACCESS_KEY_INFO = utf8Encode('Envelope_UnidentifiedAccessKey');

export function generateProfileKey(): Uint8Array {
  return randomBytes(PROFILE_KEY_BYTES);
}

/** The access key a profile key grants: HKDF-SHA256(ikm = profile key, no salt, info, 16). */
export function deriveAccessKey(profileKey: Uint8Array): Uint8Array {
  assertBytes(profileKey, 'profile key', PROFILE_KEY_BYTES);
  return hkdf(profileKey, undefined, ACCESS_KEY_INFO, ACCESS_KEY_BYTES);
}
