/**
 * Length-hiding padding: a plaintext is padded to the next bucket size before
 * encryption, so the ciphertext's size reveals only the bucket, not the length.
 *
 * Buckets are powers of two from 64 bytes to 64 KiB. Padding is ISO/IEC 7816-4
 * style: one 0x80 byte, then zeros up to the bucket size. It always adds at
 * least one byte, so unpadding is unambiguous, and unpadding is strict: a length
 * that is not a bucket, a missing 0x80 marker, or a non-zero byte after it is
 * INVALID_PADDING, never a silently truncated message.
 *
 * The same scheme, to sizes of its own, pads the inner layer of a sealed-sender
 * envelope (sealed-sender.ts): `padTo` and `stripPadding` are the two halves
 * without the bucket rule.
 */
import { CryptoError } from './errors.js';

export const PADDING_BUCKETS: readonly number[] = Array.from({ length: 11 }, (_, i) => 64 << i); // 64 B … 64 KiB
/** The largest plaintext that fits: the largest bucket minus the marker byte. */
export const MAX_PADDED_PLAINTEXT = PADDING_BUCKETS[PADDING_BUCKETS.length - 1]! - 1;
const PADDING_MARKER = 0x80;

export function paddedLength(plaintextLength: number): number {
  const bucket = PADDING_BUCKETS.find((size) => size > plaintextLength);
  if (bucket === undefined) {
    throw new CryptoError('INVALID_ARGUMENT', `plaintext of ${plaintextLength} bytes exceeds the ${MAX_PADDED_PLAINTEXT}-byte limit`);
  }
  return bucket;
}

/** `data`, the 0x80 marker, then zeros up to exactly `length` bytes; INVALID_ARGUMENT if the marker does not fit. */
export function padTo(data: Uint8Array, length: number): Uint8Array {
  if (data.length + 1 > length) throw new CryptoError('INVALID_ARGUMENT', `${data.length} bytes do not fit, with the padding marker, in ${length}`);
  const out = new Uint8Array(length);
  out.set(data);
  out[data.length] = PADDING_MARKER;
  return out;
}

/** What `padTo` padded: trailing zeros, then exactly one 0x80 marker, are removed; anything else is INVALID_PADDING. */
export function stripPadding(padded: Uint8Array): Uint8Array {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== PADDING_MARKER) {
    throw new CryptoError('INVALID_PADDING', 'padding marker missing');
  }
  return padded.slice(0, end);
}

/**
 * The smallest bucket a message is padded to. A text carries its franking key
 * and the sender's profile key (about 150 bytes of JSON before the first
 * character), so the shortest text fills 256 bytes; a delivery receipt or a
 * session reset is padded to at least as much, so that its size cannot tell it
 * from a short text (which matters most for a sealed receipt, whose only
 * disguise is looking like any other sealed message). The smaller buckets stay
 * valid for unpadding, so messages padded before this still open.
 */
export const MIN_MESSAGE_BUCKET = 256;

export function pad(plaintext: Uint8Array): Uint8Array {
  return padTo(plaintext, Math.max(MIN_MESSAGE_BUCKET, paddedLength(plaintext.length)));
}

export function unpad(padded: Uint8Array): Uint8Array {
  if (!PADDING_BUCKETS.includes(padded.length)) {
    throw new CryptoError('INVALID_PADDING', `padded length ${padded.length} is not a bucket size`);
  }
  return stripPadding(padded);
}
