/**
 * The server's half of message franking (shared/crypto/franking.ts): it stamps
 * each envelope's commitment with what it saw (id, sender, recipient, time) as
 * the envelope is stored, and checks its own stamp when the recipient reports
 * the message. The stamp is an HMAC under a key only the server holds, so it
 * needs no storage: a report carries the stamp back, and the server recomputes it.
 */
import { fromBase64Url, toBase64Url } from '../../shared/crypto/bytes.js';
import { stampCommitment, verifyStamp, type StampContext } from '../../shared/crypto/franking.js';

export class FrankingStamper {
  readonly #key: Uint8Array;

  constructor(key: Uint8Array) {
    this.#key = key;
  }

  /**
   * `commitment` as it came in the send frame (validated base64url); `sender`
   * null for sealed sender, which the stamp then records as unknown ("").
   */
  stamp(commitment: string, messageId: string, sender: string | null, recipient: string, at: number): string {
    return toBase64Url(
      stampCommitment(this.#key, { commitment: fromBase64Url(commitment, 'commitment', 32), messageId, sender: sender ?? '', recipient, timestamp: at }),
    );
  }

  verify(context: StampContext, stamp: Uint8Array): boolean {
    return verifyStamp(this.#key, context, stamp);
  }
}
