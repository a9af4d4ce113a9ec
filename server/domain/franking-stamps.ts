/**
 * The server's half of message franking (shared/crypto/franking.ts): it stamps
 * each envelope's commitment with what it saw (id, sender, recipient, time) as
 * the envelope is stored, and checks its own stamp when the recipient reports
 * the message. The stamp is an HMAC under a key only the server holds, so it
 * needs no storage: a report carries the stamp back, and the server recomputes it.
 *
 * Stamping runs for every envelope, so it is HMAC-SHA256 written out as its
 * definition (RFC 2104 §2): H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), with the two
 * padded keys computed once and each H one call to Node's one-shot native
 * SHA-256 over a buffer reused for every envelope. createHmac() per envelope,
 * with its object and five update() calls, was a tenth of the relay's time
 * under load; libsodium in WebAssembly, with copies in and out of its heap,
 * cost more still. The input bytes are exactly those stampCommitment() builds,
 * and a test holds the two byte for byte equal. Checking a report, which is
 * rare, uses the shared code.
 */
import { hash } from 'node:crypto';
import { FRANKING_STAMP_LABEL, FRANKING_COMMITMENT_BYTES, verifyStamp, type StampContext } from '@envelope/crypto-public';
import { MAX_MESSAGE_ID_CHARS, MAX_USERNAME_CHARS } from '@envelope/protocol';

const LABEL = Buffer.from(FRANKING_STAMP_LABEL, 'utf8');
/** SHA-256's block size: keys up to this long are zero-padded to it (RFC 2104 §2). */
const SHA256_BLOCK_BYTES = 64;
const IPAD = 0x36;
const OPAD = 0x5c;
/**
 * The longest stamp input: label, commitment, three length-prefixed ASCII
 * fields (id, sender, recipient, each bounded by the wire schemas) and the time.
 */
const MAX_INPUT_BYTES = LABEL.length + FRANKING_COMMITMENT_BYTES + 3 * 4 + MAX_MESSAGE_ID_CHARS + 2 * MAX_USERNAME_CHARS + 8;

/** uint32 big-endian length, then the characters, one byte each; returns the offset after them. */
function writeLengthPrefixed(buf: Buffer, offset: number, field: string): number {
  // latin1 writes one byte per character, so the length written is the length
  // prefixed; the schemas allow only ASCII here, where latin1 and UTF-8 agree.
  const written = buf.write(field, offset + 4, 'latin1');
  if (written !== field.length) throw new RangeError('stamp field too long');
  buf.writeUInt32BE(written, offset);
  return offset + 4 + written;
}

export class FrankingStamper {
  readonly #key: Uint8Array;
  /** (K ⊕ ipad) followed by room for the message: the inner hash's whole input. */
  readonly #inner: Buffer;
  /** (K ⊕ opad) followed by the inner digest: the outer hash's whole input. */
  readonly #outer: Buffer;
  /**
   * Views of #inner by input length, made once: inputs differ only by the three
   * fields' lengths, and a new view per envelope (with the BigInt the time used
   * to need) was a third of the stamp's cost outside the hashing.
   */
  readonly #innerViews: Buffer[] = [];

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new RangeError('franking stamp key must be 32 bytes');
    this.#key = key;
    this.#inner = Buffer.alloc(SHA256_BLOCK_BYTES + MAX_INPUT_BYTES);
    this.#outer = Buffer.alloc(SHA256_BLOCK_BYTES + 32);
    for (let i = 0; i < SHA256_BLOCK_BYTES; i++) {
      this.#inner[i] = (key[i] ?? 0) ^ IPAD;
      this.#outer[i] = (key[i] ?? 0) ^ OPAD;
    }
    LABEL.copy(this.#inner, SHA256_BLOCK_BYTES);
  }

  /**
   * `commitment` as it came in the send frame (validated: 32 bytes as base64url);
   * `messageId`, `sender` and `recipient` validated by the wire schemas (ASCII,
   * bounded); `sender` null for sealed sender, which the stamp then records as
   * unknown (""). Returns the stamp as base64url.
   */
  stamp(commitment: string, messageId: string, sender: string | null, recipient: string, at: number): string {
    const buf = this.#inner;
    let offset = SHA256_BLOCK_BYTES + LABEL.length;
    if (buf.write(commitment, offset, 'base64url') !== FRANKING_COMMITMENT_BYTES) {
      throw new RangeError(`franking commitment must be ${FRANKING_COMMITMENT_BYTES} bytes`);
    }
    offset += FRANKING_COMMITMENT_BYTES;
    offset = writeLengthPrefixed(buf, offset, messageId);
    offset = writeLengthPrefixed(buf, offset, sender ?? '');
    offset = writeLengthPrefixed(buf, offset, recipient);
    // uint64 big-endian as two uint32 halves: `at` is a time in milliseconds, far below 2^53.
    buf.writeUInt32BE(Math.floor(at / 0x1_0000_0000), offset);
    buf.writeUInt32BE(at >>> 0, offset + 4);
    offset += 8;
    const input = (this.#innerViews[offset] ??= buf.subarray(0, offset));
    // The inner digest comes back as a 'binary' (latin1) string, one character per
    // byte, and is written as such: asked for a Buffer, hash() took twice as long in Node 20.
    this.#outer.write(hash('sha256', input, 'binary'), SHA256_BLOCK_BYTES, 'binary');
    return hash('sha256', this.#outer, 'base64url');
  }

  verify(context: StampContext, stamp: Uint8Array): boolean {
    return verifyStamp(this.#key, context, stamp);
  }
}
