/**
 * transport-only's crypto, end to end in one process: what a client seals
 * (shared/crypto transport.ts, around protocol's payload) the server's
 * exception opens, and nothing else opens; anything altered is refused with
 * a typed error, never half-read.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady, isCryptoError, PADDING_BUCKETS, utf8Decode, utf8Encode } from '@envelope/crypto-public';
import { sealToServer, TRANSPORT_SEAL_OVERHEAD } from '@envelope/crypto';
import { encodeTransportPayload } from '@envelope/protocol';
import { cryptoErrorCode } from '@envelope/testkit/crypto-fixtures.js';
import { lawfulAccessReady } from './sodium.js';
import { loadOrCreateTransportKey, openTransportEnvelope } from './transport-key.js';

beforeAll(async () => {
  await Promise.all([cryptoReady(), lawfulAccessReady()]);
});

const freshDir = () => mkdtempSync(join(tmpdir(), 'envelope-transport-'));

describe('the transport key', () => {
  it('is made once, kept 0600, and the same key after a restart', () => {
    const dir = freshDir();
    const first = loadOrCreateTransportKey(dir);
    const again = loadOrCreateTransportKey(dir);
    expect(again.publicKey).toEqual(first.publicKey);
    expect(again.privateKey).toEqual(first.privateKey);
    expect(statSync(join(dir, 'transport-key.json')).mode & 0o777).toBe(0o600);
  });

  it('opens what a client sealed to it: the message, and a sealed send’s certificate', () => {
    const keys = loadOrCreateTransportKey(freshDir());
    const message = utf8Encode('{"v":1,"kind":"text","text":"meet at six"}');
    const certificate = new Uint8Array(120).fill(7);
    const plain = openTransportEnvelope(keys, sealToServer(keys.publicKey, encodeTransportPayload({ certificate: null, message })));
    expect(utf8Decode(plain.message)).toContain('meet at six');
    expect(plain.certificate).toBeNull();
    const sealed = sealToServer(keys.publicKey, encodeTransportPayload({ certificate, message }));
    const opened = openTransportEnvelope(keys, sealed);
    expect(opened.certificate).toEqual(certificate);
    expect(opened.message).toEqual(message);
    // Padded to the same buckets as an end-to-end message: the size says only the bucket.
    expect(PADDING_BUCKETS).toContain(sealed.length - TRANSPORT_SEAL_OVERHEAD);
  });

  it('refuses an envelope sealed to another key, or altered in one bit, as DECRYPT_FAILED', () => {
    const keys = loadOrCreateTransportKey(freshDir());
    const other = loadOrCreateTransportKey(freshDir());
    const payload = encodeTransportPayload({ certificate: null, message: utf8Encode('hello') });
    expect(cryptoErrorCode(() => openTransportEnvelope(keys, sealToServer(other.publicKey, payload)))).toBe('DECRYPT_FAILED');
    const sealed = sealToServer(keys.publicKey, payload);
    for (const at of [0, 40, sealed.length - 1]) {
      const altered = sealed.slice();
      altered[at]! ^= 1;
      expect(cryptoErrorCode(() => openTransportEnvelope(keys, altered))).toBe('DECRYPT_FAILED');
    }
    expect(cryptoErrorCode(() => openTransportEnvelope(keys, new Uint8Array(10)))).toBe('DECRYPT_FAILED');
  });

  it('refuses what opens but is not a payload: no padding, another version, a certificate that does not fit', () => {
    const keys = loadOrCreateTransportKey(freshDir());
    const open = (padded: Uint8Array) => {
      try {
        openTransportEnvelope(keys, sealToServer(keys.publicKey, padded));
        return 'opened';
      } catch (error) {
        return isCryptoError(error) ? error.code : 'untyped';
      }
    };
    expect(open(new Uint8Array(256))).toBe('INVALID_PADDING');
    const good = encodeTransportPayload({ certificate: null, message: utf8Encode('x') });
    const version2 = good.slice();
    version2[0] = 2;
    expect(open(version2)).toBe('UNSUPPORTED_VERSION');
    const flags = good.slice();
    flags[1] = 0x80;
    expect(open(flags)).toBe('INVALID_MESSAGE');
    const overlong = encodeTransportPayload({ certificate: new Uint8Array(100), message: utf8Encode('x') });
    overlong[2] = 0xff; // a certificate longer than the payload
    expect(open(overlong)).toBe('INVALID_MESSAGE');
  });
});
