import { beforeAll, describe, expect, it } from 'vitest';
import { utf8Encode } from './bytes.js';
import { CryptoError } from './errors.js';
import { commitToMessage, stampCommitment, verifyCommitment, verifyReport, verifyStamp } from './franking.js';
import { cryptoReady, sodium } from './sodium.js';

beforeAll(async () => {
  await cryptoReady();
});

function reason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof CryptoError && error.code === 'COMMITMENT_MISMATCH') return error.message;
    throw error;
  }
  return undefined;
}

describe('message franking', () => {
  const setup = () => {
    const serverKey = sodium().randombytes_buf(32);
    const plaintext = utf8Encode('a message someone will report');
    const { frankingKey, commitment } = commitToMessage(plaintext);
    const context = { commitment, messageId: 'msg-0001', sender: 'alice', recipient: 'bob', timestamp: 1_700_000_000_000 };
    return { serverKey, plaintext, frankingKey, commitment, context, stamp: stampCommitment(serverKey, context) };
  };

  it('a genuine report verifies', () => {
    const { serverKey, plaintext, frankingKey, context, stamp } = setup();
    expect(reason(() => verifyReport(serverKey, context, stamp, plaintext, frankingKey))).toBeUndefined();
  });

  it('uses a fresh franking key per message', () => {
    const a = commitToMessage(utf8Encode('same'));
    const b = commitToMessage(utf8Encode('same'));
    expect(a.frankingKey).not.toEqual(b.frankingKey);
    expect(a.commitment).not.toEqual(b.commitment);
  });

  it('rejects altered text and a different franking key', () => {
    const { serverKey, frankingKey, context, stamp } = setup();
    expect(reason(() => verifyReport(serverKey, context, stamp, utf8Encode('a message someone will rep0rt'), frankingKey))).toMatch(/does not open/);
    const otherKey = sodium().randombytes_buf(32);
    expect(reason(() => verifyReport(serverKey, context, stamp, setup().plaintext, otherKey))).toMatch(/does not open/);
  });

  it('rejects a report that names another sender, recipient or time', () => {
    const { serverKey, plaintext, frankingKey, context, stamp } = setup();
    for (const forged of [{ ...context, messageId: 'msg-0002' }, { ...context, sender: 'mallory' }, { ...context, recipient: 'carol' }, { ...context, timestamp: context.timestamp + 1 }]) {
      expect(reason(() => verifyReport(serverKey, forged, stamp, plaintext, frankingKey))).toMatch(/stamp/);
    }
  });

  it("rejects a stamp that is not the server's", () => {
    const { serverKey, plaintext, frankingKey, context } = setup();
    const forgedStamp = stampCommitment(sodium().randombytes_buf(32), context);
    expect(reason(() => verifyReport(serverKey, context, forgedStamp, plaintext, frankingKey))).toMatch(/stamp/);
    expect(verifyStamp(serverKey, context, new Uint8Array(5))).toBe(false);
  });

  it('a commitment opens only to the plaintext it was made for', () => {
    const { plaintext, frankingKey, commitment } = setup();
    expect(verifyCommitment(plaintext, frankingKey, commitment)).toBe(true);
    expect(verifyCommitment(new Uint8Array(0), frankingKey, commitment)).toBe(false);
    expect(verifyCommitment(plaintext, frankingKey.subarray(1), commitment)).toBe(false);
  });
});
