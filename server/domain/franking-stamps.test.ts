import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, stampCommitment, cryptoReady } from '@envelope/crypto-public';
import { MAX_MESSAGE_ID_CHARS, MAX_USERNAME_CHARS, MESSAGE_ID_PATTERN, USERNAME_PATTERN } from '@envelope/protocol';
import { FrankingStamper } from './franking-stamps.js';

beforeAll(cryptoReady);

describe('the relay-side franking stamp', () => {
  it('is byte for byte the stamp the shared franking code makes, for any inputs, sealed or not', () => {
    for (let i = 0; i < 200; i++) {
      const key = new Uint8Array(randomBytes(32));
      const commitment = new Uint8Array(randomBytes(32));
      const messageId = randomBytes(1 + (i % 40)).toString('base64url');
      const sender = i % 5 === 0 ? null : `user_${i}`;
      const recipient = `r-${i * 7}`;
      const at = Math.floor(Math.random() * 2 ** 50);
      const native = new FrankingStamper(key).stamp(toBase64Url(commitment), messageId, sender, recipient, at);
      const shared = stampCommitment(key, { commitment, messageId, sender: sender ?? '', recipient, timestamp: at });
      expect(native).toBe(toBase64Url(shared));
    }
  });

  it('stays equal to the shared code when one stamper is reused, long fields then short (its buffer is reused)', () => {
    const key = new Uint8Array(randomBytes(32));
    const stamper = new FrankingStamper(key);
    const longest = { messageId: 'i'.repeat(MAX_MESSAGE_ID_CHARS), name: 'n'.repeat(MAX_USERNAME_CHARS) };
    expect(MESSAGE_ID_PATTERN.test(longest.messageId) && USERNAME_PATTERN.test(longest.name)).toBe(true);
    expect(MESSAGE_ID_PATTERN.test(longest.messageId + 'i') || USERNAME_PATTERN.test(longest.name + 'n')).toBe(false);
    const cases = [
      { messageId: longest.messageId, sender: longest.name, recipient: longest.name, at: Number.MAX_SAFE_INTEGER },
      { messageId: 'abcdefgh', sender: null, recipient: 'bo', at: 0 },
      { messageId: longest.messageId, sender: null, recipient: longest.name, at: 1 },
      { messageId: 'short-id', sender: 'al', recipient: 'bo', at: 1_700_000_000_000 },
    ];
    for (const c of cases) {
      const commitment = new Uint8Array(randomBytes(32));
      const shared = stampCommitment(key, { commitment, messageId: c.messageId, sender: c.sender ?? '', recipient: c.recipient, timestamp: c.at });
      expect(stamper.stamp(toBase64Url(commitment), c.messageId, c.sender, c.recipient, c.at)).toBe(toBase64Url(shared));
    }
  });

  it('refuses a commitment that is not 32 bytes rather than stamping something else', () => {
    const stamper = new FrankingStamper(new Uint8Array(32).fill(1));
    expect(() => stamper.stamp(toBase64Url(new Uint8Array(31)), 'msg-0001', 'al', 'bo', 1)).toThrow(RangeError);
  });

  it('verifies its own stamp and nothing else', () => {
    const key = new Uint8Array(32).fill(3);
    const stamper = new FrankingStamper(key);
    const commitment = new Uint8Array(32).fill(9);
    const stamp = fromBase64Url(stamper.stamp(toBase64Url(commitment), 'msg-1', 'alice', 'bob', 42), 'stamp', 32);
    const context = { commitment, messageId: 'msg-1', sender: 'alice', recipient: 'bob', timestamp: 42 };
    expect(stamper.verify(context, stamp)).toBe(true);
    expect(stamper.verify({ ...context, recipient: 'carol' }, stamp)).toBe(false);
    expect(new FrankingStamper(new Uint8Array(32).fill(4)).verify(context, stamp)).toBe(false);
  });
});
