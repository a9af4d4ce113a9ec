import { describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { MAX_ENVELOPE_BODY_BYTES } from './limits.js';
import { FRANKING_TAG_BYTES } from './reports.js';
import { ClientFrameSchema, ServerFrameSchema, parseClientFrame } from './ws.js';

const bytes = (n: number, fill = 7) => toBase64Url(new Uint8Array(n).fill(fill));
const send = (fields: Record<string, unknown> = {}) => ({
  type: 'send',
  id: 'abcdefgh1',
  to: 'bob',
  toDevice: 1,
  body: bytes(300),
  commitment: bytes(FRANKING_TAG_BYTES),
  ...fields,
});

/** Valid frames and every kind of invalid one the relay must refuse. */
const FRAMES: unknown[] = [
  { type: 'auth', token: 'x'.repeat(32) },
  { type: 'auth', token: 'short' },
  send(),
  send({ commitment: undefined }),
  send({ body: bytes(1) }),
  send({ body: bytes(MAX_ENVELOPE_BODY_BYTES) }),
  send({ body: bytes(MAX_ENVELOPE_BODY_BYTES + 1) }),
  send({ body: 'A' }),
  send({ body: '' }),
  send({ body: 'AAAAA' }),
  send({ body: 'AA+/' }),
  send({ body: 'AA==' }),
  send({ body: 42 }),
  send({ commitment: bytes(31) }),
  send({ commitment: `${bytes(FRANKING_TAG_BYTES).slice(0, -1)}B` }),
  send({ commitment: null }),
  send({ to: 'Bob' }),
  send({ toDevice: 0 }),
  send({ toDevice: 1.5 }),
  send({ toDevice: '1' }),
  send({ id: 'short' }),
  send({ extra: true }),
  { type: 'ack', ids: ['abcdefgh1', 'abcdefgh2'] },
  { type: 'ack', ids: [] },
  { type: 'ack', ids: ['bad id!!!'] },
  { type: 'ack', ids: 'abcdefgh1' },
  { type: 'nonsense' },
  { type: 'constructor' },
  { type: '__proto__' },
  { type: 'toString', id: 'abcdefgh1' },
  { type: 7 },
  {},
  [],
  null,
  'send',
  42,
];

describe('parseClientFrame', () => {
  it('accepts and refuses exactly what ClientFrameSchema does, with the same output', () => {
    for (const frame of FRAMES) {
      const fast = parseClientFrame(frame);
      const union = ClientFrameSchema.safeParse(frame);
      expect({ frame, success: fast.success }).toEqual({ frame, success: union.success });
      if (fast.success && union.success) expect(fast.data).toEqual(union.data);
    }
    expect(FRAMES.filter((f) => parseClientFrame(f).success)).toHaveLength(6);
  });

  it('explains a frame whose type it does not know', () => {
    const result = parseClientFrame({ type: 'constructor' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['type']);
  });

  it('says which rule a body or a franking tag broke', () => {
    const message = (frame: unknown) => parseClientFrame(frame).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(message(send({ body: bytes(MAX_ENVELOPE_BODY_BYTES + 1) }))).toEqual([`body: must be at most ${MAX_ENVELOPE_BODY_BYTES} bytes`]);
    expect(message(send({ body: 'A' }))).toEqual(['body: must be at least 1 byte']);
    expect(message(send({ body: 'AA+/' }))).toEqual(['body: is not valid base64url']);
    expect(message(send({ body: 'AAAAA' }))).toEqual(['body: is not valid base64url']);
    expect(message(send({ commitment: bytes(31) }))).toEqual([`commitment: must be ${FRANKING_TAG_BYTES} bytes as base64url`]);
    expect(message(send({ commitment: `${bytes(FRANKING_TAG_BYTES).slice(0, -1)}B` }))).toEqual(['commitment: is not canonical base64url']);
  });
});

describe('the message frame’s receipt mark', () => {
  const message = (fields: Record<string, unknown> = {}) => ({
    type: 'message',
    id: 'abcdefgh1',
    from: 'alice',
    fromDevice: 1,
    sentAt: 1_700_000_000_000,
    body: bytes(300),
    ...fields,
  });

  it('is accepted only as `true`, and absent means unmarked', () => {
    expect(ServerFrameSchema.safeParse(message({ receipt: true })).data).toMatchObject({ receipt: true });
    expect(ServerFrameSchema.safeParse(message()).data).not.toHaveProperty('receipt');
    for (const receipt of [false, 'true', 1, null, {}]) {
      expect({ receipt, success: ServerFrameSchema.safeParse(message({ receipt })).success }).toEqual({ receipt, success: false });
    }
  });
});
