import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../shared/crypto/bytes.js';
import { stampCommitment } from '../../shared/crypto/franking.js';
import { cryptoReady } from '../../shared/crypto/sodium.js';
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
