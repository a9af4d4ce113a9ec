/**
 * The server's half of message franking (shared/crypto/franking.ts): it stamps
 * each envelope's commitment with what it saw (id, sender, recipient, time) as
 * the envelope is stored, and checks its own stamp when the recipient reports
 * the message. The stamp is an HMAC under a key only the server holds, so it
 * needs no storage: a report carries the stamp back, and the server recomputes it.
 *
 * Stamping runs for every envelope, so it uses Node's native HMAC-SHA256 over
 * the same bytes stampCommitment() builds (libsodium in WebAssembly, plus the
 * copies in and out of its heap, cost several times more per envelope); a test
 * holds the two byte for byte equal. Checking a report, which is rare, uses the
 * shared code.
 */
import { createHmac } from 'node:crypto';
import { FRANKING_STAMP_LABEL } from '../../shared/crypto/constants.js';
import { verifyStamp, type StampContext } from '../../shared/crypto/franking.js';

const LABEL = Buffer.from(FRANKING_STAMP_LABEL, 'utf8');

/** uint32 big-endian length, then the UTF-8 bytes (ids and names here are ASCII: the schemas say so). */
function lengthPrefixed(text: string): Buffer {
  const out = Buffer.allocUnsafe(4 + Buffer.byteLength(text));
  out.writeUInt32BE(out.length - 4, 0);
  out.write(text, 4, 'utf8');
  return out;
}

export class FrankingStamper {
  readonly #key: Uint8Array;

  constructor(key: Uint8Array) {
    this.#key = key;
  }

  /**
   * `commitment` as it came in the send frame (validated: 32 bytes as base64url);
   * `sender` null for sealed sender, which the stamp then records as unknown ("").
   * Returns the stamp as base64url.
   */
  stamp(commitment: string, messageId: string, sender: string | null, recipient: string, at: number): string {
    const time = Buffer.allocUnsafe(8);
    time.writeBigUInt64BE(BigInt(at), 0);
    return createHmac('sha256', this.#key)
      .update(LABEL)
      .update(Buffer.from(commitment, 'base64url'))
      .update(lengthPrefixed(messageId))
      .update(lengthPrefixed(sender ?? ''))
      .update(lengthPrefixed(recipient))
      .update(time)
      .digest('base64url');
  }

  verify(context: StampContext, stamp: Uint8Array): boolean {
    return verifyStamp(this.#key, context, stamp);
  }
}
