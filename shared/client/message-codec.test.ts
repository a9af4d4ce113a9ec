import { describe, expect, it } from 'vitest';
import { toBase64Url, utf8Encode } from '@envelope/crypto-public';
import { MAX_PADDED_PLAINTEXT } from '@envelope/crypto';
import { isClientError } from './errors.js';
import type { MessageId } from '@envelope/protocol';
import { decodeMessage, decodeTextMessage, encodeSessionReset, encodeTextMessage, MAX_TEXT_LENGTH, MAX_UNREADABLE_IDS } from './message-codec.js';

const encodeJson = (value: unknown) => utf8Encode(JSON.stringify(value));
const FK = new Uint8Array(32).fill(7);
const fk = toBase64Url(FK);

describe('message codec', () => {
  it('round-trips text and the sender timestamp', () => {
    const text = 'héllo 👋 "quoted" \\ \n newline';
    expect(decodeTextMessage(encodeTextMessage(text, 1_700_000_000_123, FK))).toEqual({ v: 1, kind: 'text', text, sentAt: 1_700_000_000_123, fk });
  });

  it(`accepts exactly ${MAX_TEXT_LENGTH} characters and refuses one more, before anything is encrypted`, () => {
    expect(decodeTextMessage(encodeTextMessage('x'.repeat(MAX_TEXT_LENGTH), 1, FK)).text).toHaveLength(MAX_TEXT_LENGTH);
    let error: unknown;
    try {
      encodeTextMessage('x'.repeat(MAX_TEXT_LENGTH + 1), 1, FK);
    } catch (caught) {
      error = caught;
    }
    expect(isClientError(error, 'INVALID_ARGUMENT')).toBe(true);
  });

  it('refuses empty text', () => {
    expect(() => encodeTextMessage('', 1, FK)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('the worst-case encoding of the longest text still fits the largest padding bucket', () => {
    // Control characters are escaped as \u00XX: six bytes of JSON each.
    const worst = '\u0001'.repeat(MAX_TEXT_LENGTH);
    expect(encodeTextMessage(worst, Number.MAX_SAFE_INTEGER, FK).length).toBeLessThanOrEqual(MAX_PADDED_PLAINTEXT);
  });

  it('refuses anything but a v1 text message, with PROTOCOL_ERROR', () => {
    const valid = { v: 1, kind: 'text', text: 'hi', sentAt: 5, fk };
    const malformed = [
      utf8Encode('not json'),
      Uint8Array.of(0xff, 0xfe),
      encodeJson(null),
      encodeJson([]),
      encodeJson({ ...valid, v: 2 }),
      encodeJson({ ...valid, kind: 'image' }),
      encodeJson({ ...valid, extra: true }),
      encodeJson({ ...valid, text: '' }),
      encodeJson({ ...valid, text: 'x'.repeat(MAX_TEXT_LENGTH + 1) }),
      encodeJson({ ...valid, sentAt: -1 }),
      encodeJson({ ...valid, sentAt: 1.5 }),
      encodeJson({ v: 1, kind: 'text', text: 'hi', fk }),
      encodeJson({ v: 1, kind: 'text', text: 'hi', sentAt: 5 }),
      encodeJson({ ...valid, fk: fk.slice(1) }),
      encodeJson({ ...valid, fk: `${fk.slice(0, -1)}B` }),
    ];
    for (const bytes of malformed) {
      expect(() => decodeTextMessage(bytes)).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR' }));
    }
    expect(decodeTextMessage(encodeJson(valid))).toEqual(valid);
  });

  it('a session-reset is a control message: decodeMessage reads it, decodeTextMessage refuses it, and it names at most the newest ids', () => {
    const ids = Array.from({ length: MAX_UNREADABLE_IDS + 2 }, (_, i) => `id${String(i).padStart(20, '0')}` as MessageId);
    const decoded = decodeMessage(encodeSessionReset(ids, 7));
    expect(decoded).toEqual({ v: 1, kind: 'session-reset', sentAt: 7, unreadable: ids.slice(2) });
    expect(() => decodeTextMessage(encodeSessionReset([], 7))).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR' }));
    expect(decodeMessage(encodeTextMessage('hi', 5, FK))).toEqual({ v: 1, kind: 'text', text: 'hi', sentAt: 5, fk });
    for (const bad of [
      { v: 1, kind: 'session-reset', sentAt: 7, unreadable: ['not an id!'] },
      { v: 1, kind: 'session-reset', sentAt: 7, unreadable: ids },
      { v: 1, kind: 'session-reset', sentAt: 7, unreadable: [], text: 'hidden' },
      { v: 1, kind: 'session-reset', sentAt: 7 },
    ]) {
      expect(() => decodeMessage(encodeJson(bad))).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR' }));
    }
  });
});

describe('the sender’s profile key in a text message (sealed sender’s delivery credential)', () => {
  const PK = new Uint8Array(32).fill(9);
  it('travels as `pk` and round-trips; a message without one still decodes', () => {
    expect(decodeTextMessage(encodeTextMessage('hi', 1, FK, PK))).toEqual({ v: 1, kind: 'text', text: 'hi', sentAt: 1, fk, pk: toBase64Url(PK) });
    expect(decodeTextMessage(encodeTextMessage('hi', 1, FK)).pk).toBeUndefined();
  });

  it('refuses a `pk` that is not exactly 32 bytes of canonical base64url', () => {
    for (const pk of [toBase64Url(new Uint8Array(31)), toBase64Url(new Uint8Array(33)), `${toBase64Url(PK).slice(0, 42)}B`, 7, null]) {
      expect(() => decodeTextMessage(encodeJson({ v: 1, kind: 'text', text: 'hi', sentAt: 1, fk, pk }))).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR' }));
    }
  });
});
