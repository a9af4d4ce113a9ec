/**
 * The hand-built frames (frame-json.ts) are what JSON.stringify makes of the
 * same typed frame, byte for byte, and the contract accepts them: for random
 * frames whose fields cover every field the schema has.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { messageFrameJson, storedFrameJson, type MessageFrameWire, type StoredFrameWire } from './frame-json.js';
import { ENVELOPE_MODES } from './policy.js';
import { MAX_DEVICE_ID, MESSAGE_ID_PATTERN, USERNAME_PATTERN } from './limits.js';
import { FRANKING_TAG_BYTES } from './reports.js';
import { MessageFrameSchema, ServerFrameSchema, StoredFrameSchema } from './ws.js';

const messageId = fc.stringMatching(MESSAGE_ID_PATTERN);
const username = fc.stringMatching(USERNAME_PATTERN);
const deviceId = fc.integer({ min: 1, max: MAX_DEVICE_ID });
const timestamp = fc.maxSafeNat();
const bytes = (minLength: number, maxLength: number) => fc.uint8Array({ minLength, maxLength }).map(toBase64Url);
const tag = bytes(FRANKING_TAG_BYTES, FRANKING_TAG_BYTES);

// Typed as the wire frames: a field the schema adds as required, or retypes, fails to compile here.
const storedFrames: fc.Arbitrary<StoredFrameWire> = fc.record({ type: fc.constant('stored' as const), id: messageId, storedAt: timestamp });
const messageFrames: fc.Arbitrary<MessageFrameWire> = fc.oneof(
  // Signed in: a sender, optionally a franking commitment with its stamp, optionally a receipt mark.
  fc.record(
    {
      type: fc.constant('message' as const),
      id: messageId,
      from: username,
      fromDevice: deviceId,
      sentAt: timestamp,
      body: bytes(1, 600),
      commitment: tag,
      stamp: tag,
      receipt: fc.constant(true as const),
      mode: fc.constantFrom(...ENVELOPE_MODES),
      // key-escrow's access field (escrow.ts): base64url like the body.
      access: bytes(1, 300),
    },
    { requiredKeys: ['type', 'id', 'from', 'fromDevice', 'sentAt', 'body'] },
  ),
  // Sealed: nobody named (and, in transport-only, the mode).
  fc.record(
    {
      type: fc.constant('message' as const),
      id: messageId,
      from: fc.constant(null),
      fromDevice: fc.constant(null),
      sentAt: timestamp,
      body: bytes(1, 600),
      mode: fc.constantFrom(...ENVELOPE_MODES),
    },
    { requiredKeys: ['type', 'id', 'from', 'fromDevice', 'sentAt', 'body'] },
  ),
);

/** Checks `build` against JSON.stringify and the schema on `runs` random frames; returns every key those frames had. */
function checkAgainstContract<F extends object>(frames: fc.Arbitrary<F>, build: (frame: F) => string): Set<string> {
  const keys = new Set<string>();
  fc.assert(
    fc.property(frames, (frame) => {
      const text = build(frame);
      expect(text).toBe(JSON.stringify(frame));
      expect(ServerFrameSchema.safeParse(JSON.parse(text)).success).toBe(true);
      for (const key of Object.keys(frame)) keys.add(key);
    }),
    { numRuns: 500 },
  );
  return keys;
}

describe('frames built by hand on the relay’s hot path', () => {
  it('`stored` is JSON.stringify of the typed frame, and the contract accepts it', () => {
    const keys = checkAgainstContract(storedFrames, storedFrameJson);
    // The generated frames exercised every field the schema has (a new optional field must be generated, and built).
    expect([...keys].sort()).toEqual(Object.keys(StoredFrameSchema.shape).sort());
  });

  it('`message` is JSON.stringify of the typed frame, with and without its optional fields, and the contract accepts it', () => {
    const keys = checkAgainstContract(messageFrames, messageFrameJson);
    expect([...keys].sort()).toEqual(Object.keys(MessageFrameSchema.shape).sort());
  });

  it('a frame with a field the schema does not have is refused (the frame schemas are strict)', () => {
    const [stored] = fc.sample(storedFrames, { numRuns: 1, seed: 1 });
    const [message] = fc.sample(messageFrames, { numRuns: 1, seed: 1 });
    expect(ServerFrameSchema.safeParse({ ...stored, extra: 1 }).success).toBe(false);
    expect(ServerFrameSchema.safeParse({ ...message, extra: 1 }).success).toBe(false);
  });
});
