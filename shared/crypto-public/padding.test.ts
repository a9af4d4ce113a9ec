import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cryptoErrorCode } from '@envelope/testkit/crypto-fixtures.js';
import { MAX_PADDED_PLAINTEXT, MIN_MESSAGE_BUCKET, PADDING_BUCKETS, pad, paddedLength, padTo, stripPadding, unpad } from './padding.js';


describe('padding', () => {
  it('round-trips every length and always lands on a bucket', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (plaintext) => {
        const padded = pad(plaintext);
        expect(PADDING_BUCKETS).toContain(padded.length);
        expect(padded.length).toBeGreaterThan(plaintext.length);
        expect(unpad(padded)).toEqual(plaintext);
      }),
    );
  });

  it('hides length inside a bucket: 0 and 63 bytes look the same size, 64 moves up', () => {
    expect(paddedLength(0)).toBe(64);
    expect(paddedLength(63)).toBe(64);
    expect(paddedLength(64)).toBe(128);
    expect(paddedLength(MAX_PADDED_PLAINTEXT)).toBe(65536);
    expect(cryptoErrorCode(() => paddedLength(MAX_PADDED_PLAINTEXT + 1))).toBe('INVALID_ARGUMENT');
  });

  it('pads every message to at least the bucket of the shortest text, so a receipt looks like one', () => {
    expect(pad(new Uint8Array(0)).length).toBe(MIN_MESSAGE_BUCKET);
    expect(pad(new Uint8Array(MIN_MESSAGE_BUCKET - 1)).length).toBe(MIN_MESSAGE_BUCKET);
    expect(pad(new Uint8Array(MIN_MESSAGE_BUCKET)).length).toBe(2 * MIN_MESSAGE_BUCKET);
    // Smaller buckets, from before, still unpad.
    expect(unpad(padTo(Uint8Array.of(1, 2, 3), 64))).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('keeps trailing zero bytes of the plaintext itself', () => {
    expect(unpad(pad(Uint8Array.of(1, 0, 0)))).toEqual(Uint8Array.of(1, 0, 0));
  });

  it('unpads strictly: wrong length, missing marker, bytes after the marker', () => {
    expect(cryptoErrorCode(() => unpad(new Uint8Array(65)))).toBe('INVALID_PADDING');
    expect(cryptoErrorCode(() => unpad(new Uint8Array(64)))).toBe('INVALID_PADDING');
    const noMarker = new Uint8Array(64).fill(7);
    expect(cryptoErrorCode(() => unpad(noMarker))).toBe('INVALID_PADDING');
    const junkAfterMarker = pad(Uint8Array.of(1, 2, 3));
    junkAfterMarker[10] = 1;
    expect(cryptoErrorCode(() => unpad(junkAfterMarker))).toBe('INVALID_PADDING');
    const wrongMarker = pad(Uint8Array.of(1, 2, 3));
    wrongMarker[3] = 0x81;
    expect(cryptoErrorCode(() => unpad(wrongMarker))).toBe('INVALID_PADDING');
  });

  it('pads to a given size too (sealed sender), and refuses a size the marker does not fit in', () => {
    const padded = padTo(Uint8Array.of(1, 2), 1000);
    expect(padded.length).toBe(1000);
    expect(stripPadding(padded)).toEqual(Uint8Array.of(1, 2));
    expect(cryptoErrorCode(() => padTo(Uint8Array.of(1, 2), 2))).toBe('INVALID_ARGUMENT');
    expect(cryptoErrorCode(() => stripPadding(new Uint8Array(0)))).toBe('INVALID_PADDING');
  });
});
