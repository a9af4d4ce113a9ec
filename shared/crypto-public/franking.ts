/**
 * Message franking: how a recipient can prove to the server that a message was
 * really sent, without the server ever reading messages that nobody reports.
 * (After Facebook's "Messenger Secret Conversations" technical whitepaper and
 * Grubbs, Lu, Ristenpart, "Message Franking via Committing Authenticated
 * Encryption", CRYPTO 2017.)
 *
 * 1. The sender picks a fresh franking key fk and commits to the plaintext:
 *    commitment = HMAC-SHA256(fk, label ‖ plaintext). fk travels inside the
 *    end-to-end ciphertext; the commitment travels outside, beside it.
 *    XChaCha20-Poly1305 is not a committing AEAD (one ciphertext can be made to
 *    open to two plaintexts under two keys), so the commitment must be explicit.
 * 2. The server stamps the commitment with what it saw: stamp =
 *    HMAC-SHA256(server key, label ‖ commitment ‖ message id ‖ sender ‖ recipient ‖ time).
 *    With sealed sender the server never learns the sender, so it stamps "" there.
 * 3. The recipient checks the commitment on receipt. To report, it reveals the
 *    plaintext, fk, the commitment and the stamp; the server recomputes both
 *    MACs and only then accepts the report.
 *
 * The server runs only steps 2 and 3's check: nothing here decrypts anything.
 */
import { assertBytes, bytesEqual, concatBytes, uint32BE, uint64BE, utf8Encode } from './bytes.js';
import { FRANKING_COMMITMENT_LABEL, FRANKING_KEY_BYTES, FRANKING_STAMP_LABEL } from './constants.js';
import { CryptoError } from './errors.js';
import { hmacSha256 } from './hkdf.js';
import { randomBytes } from './sodium.js';

export const FRANKING_COMMITMENT_BYTES = 32;
export const FRANKING_STAMP_BYTES = 32;
const COMMITMENT_LABEL = utf8Encode(FRANKING_COMMITMENT_LABEL);
const STAMP_LABEL = utf8Encode(FRANKING_STAMP_LABEL);

export interface FrankingCommitment {
  readonly frankingKey: Uint8Array;
  readonly commitment: Uint8Array;
}

/** What the server saw when it relayed the message. */
export interface StampContext {
  readonly commitment: Uint8Array;
  /** The envelope id, so a report names the one envelope the stamp was made for. */
  readonly messageId: string;
  /** "" when sealed sender hid the sender from the server. */
  readonly sender: string;
  readonly recipient: string;
  /** Milliseconds since the epoch, as the server recorded it. */
  readonly timestamp: number;
}

function commitmentFor(frankingKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return hmacSha256(frankingKey, concatBytes(COMMITMENT_LABEL, plaintext));
}

export function commitToMessage(plaintext: Uint8Array): FrankingCommitment {
  assertBytes(plaintext, 'plaintext');
  const frankingKey = randomBytes(FRANKING_KEY_BYTES);
  return { frankingKey, commitment: commitmentFor(frankingKey, plaintext) };
}

export function verifyCommitment(plaintext: Uint8Array, frankingKey: Uint8Array, commitment: Uint8Array): boolean {
  if (frankingKey.length !== FRANKING_KEY_BYTES || commitment.length !== FRANKING_COMMITMENT_BYTES) return false;
  return bytesEqual(commitmentFor(frankingKey, plaintext), commitment);
}

function lengthPrefixed(text: string): Uint8Array {
  const bytes = utf8Encode(text);
  return concatBytes(uint32BE(bytes.length), bytes);
}

function stampInput(context: StampContext): Uint8Array {
  assertBytes(context.commitment, 'commitment', FRANKING_COMMITMENT_BYTES);
  return concatBytes(
    STAMP_LABEL,
    context.commitment,
    lengthPrefixed(context.messageId),
    lengthPrefixed(context.sender),
    lengthPrefixed(context.recipient),
    uint64BE(context.timestamp),
  );
}

/** Server side, at relay time. `serverKey` is a 32-byte secret only the server holds. */
export function stampCommitment(serverKey: Uint8Array, context: StampContext): Uint8Array {
  assertBytes(serverKey, 'serverKey', 32);
  return hmacSha256(serverKey, stampInput(context));
}

export function verifyStamp(serverKey: Uint8Array, context: StampContext, stamp: Uint8Array): boolean {
  assertBytes(serverKey, 'serverKey', 32);
  if (stamp.length !== FRANKING_STAMP_BYTES) return false;
  return bytesEqual(stampCommitment(serverKey, context), stamp);
}

/**
 * Server side, when a report arrives: the stamp is the server's own for this
 * (sender, recipient, time), and the revealed plaintext opens the commitment.
 * Throws COMMITMENT_MISMATCH with the reason otherwise.
 */
export function verifyReport(
  serverKey: Uint8Array,
  context: StampContext,
  stamp: Uint8Array,
  plaintext: Uint8Array,
  frankingKey: Uint8Array,
): void {
  if (!verifyStamp(serverKey, context, stamp)) {
    throw new CryptoError('COMMITMENT_MISMATCH', 'the stamp is not this server\'s for that message, sender, recipient and time');
  }
  if (!verifyCommitment(plaintext, frankingKey, context.commitment)) {
    throw new CryptoError('COMMITMENT_MISMATCH', 'the reported text does not open the commitment the sender made');
  }
}
