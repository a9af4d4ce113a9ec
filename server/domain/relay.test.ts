import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../shared/crypto/bytes.js';
import { decodedLength, envelopeKind } from './relay-types.js';

describe('what the relay can tell from an envelope without reading it', () => {
  it('reads the framing type from the first byte, for every possible second byte', () => {
    for (let second = 0; second < 256; second++) {
      expect(envelopeKind(toBase64Url(Uint8Array.of(0x02, second, 7)))).toBe('session-start');
      expect(envelopeKind(toBase64Url(Uint8Array.of(0x01, second)))).toBe('message');
      expect(envelopeKind(toBase64Url(Uint8Array.of(0x03, second)))).toBe('sealed');
      expect(envelopeKind(toBase64Url(Uint8Array.of(0x04, second)))).toBe('unknown');
    }
    expect(envelopeKind('')).toBe('unknown');
  });

  it('knows the size in bytes from the base64url length', () => {
    for (let n = 1; n < 70; n++) expect(decodedLength(toBase64Url(new Uint8Array(n)))).toBe(n);
  });
});
