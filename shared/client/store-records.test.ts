/**
 * Typed reads: every record is parsed by its kind's schema on load; a damaged
 * one is STORE_CORRUPT naming the key and what is wrong, and the client says
 * so instead of crashing; profiles written before bytes were stored as bytes
 * still load and carry on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { cryptoReady, toBase64Url } from '@envelope/crypto-public';
import { loadSelf } from './account.js';
import { EnvelopeClient } from './client.js';
import { isClientError, type ClientError } from './errors.js';
import { continueOldConversation, PROFILES_BEFORE_BYTES } from './fixtures/profiles-before-bytes.js';
import { recordKindOf, SelfKind } from './record-schemas.js';
import { MemoryStore } from './store.js';
import { keys } from './store-keys.js';
import { loadConversation } from './conversation-view.js';
import { loadXRay } from './xray.js';
import type { Username } from '@envelope/protocol';
import { parseRecord, readRecord } from './store-records.js';

beforeAll(async () => {
  await cryptoReady();
});

async function caught(promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (error) {
    if (isClientError(error)) return error;
    throw error;
  }
  throw new Error('expected a ClientError');
}

function oldProfile(name: 'alice' | 'bob'): MemoryStore {
  const store = new MemoryStore();
  store.load(PROFILES_BEFORE_BYTES[name]);
  return store;
}

describe('typed records', () => {
  it('every record of a profile saved before bytes were stored as bytes parses with its kind', () => {
    for (const profile of [PROFILES_BEFORE_BYTES.alice, PROFILES_BEFORE_BYTES.bob]) {
      for (const [key, value] of Object.entries(profile)) {
        const kind = recordKindOf(key);
        expect(kind, key).toBeDefined();
        expect(() => parseRecord(kind!, key, value), key).not.toThrow();
      }
    }
  });

  it('an old profile (keys as base64url strings) loads with its keys as bytes, and is written back as bytes', async () => {
    const store = oldProfile('alice');
    const stored = (PROFILES_BEFORE_BYTES.alice[keys.self] as { identity: { privateKey: string } }).identity.privateKey;
    const self = (await loadSelf(store))!;
    expect(self.identity.privateKey).toBeInstanceOf(Uint8Array);
    expect(toBase64Url(self.identity.privateKey)).toBe(stored);
    await store.put({ [keys.self]: self });
    expect((store.entries()[keys.self] as { identity: { privateKey: unknown } }).identity.privateKey).toBeInstanceOf(Uint8Array);
    expect(await loadSelf(store)).toEqual(self);
  });

  it('an old profile carries the conversation on: both sides decrypt new messages with the sessions and keys they stored', async () => {
    const alice = oldProfile('alice');
    const sessionBefore = alice.entries()['session/bob/1'] as { active: { ratchet: { rootKey: unknown } } };
    expect(typeof sessionBefore.active.ratchet.rootKey).toBe('string');
    const result = await continueOldConversation(alice, oldProfile('bob'));
    expect(result).toEqual({
      aliceRead: 'after the upgrade',
      bobRead: 'still works',
      outboxBefore: 1,
      aliceSees: ['sent: hello bob', 'received: hi alice', 'sent: how are you?', 'sent: queued before the upgrade', 'received: after the upgrade', 'sent: still works'],
    });
    // The session was written back as bytes.
    const sessionAfter = alice.entries()['session/bob/1'] as { active: { ratchet: { rootKey: unknown } } };
    expect(sessionAfter.active.ratchet.rootKey).toBeInstanceOf(Uint8Array);
  });

  it('records from before policy modes (no mode field) load and read as e2ee, in the conversation and the X-ray', async () => {
    const store = oldProfile('alice');
    const conversation = await loadConversation(store, 'bob' as Username);
    expect(conversation.map((entry) => entry.direction)).toContain('received');
    expect(conversation.map((entry) => entry.mode)).toEqual(conversation.map(() => 'e2ee'));
    const xrays = await Promise.all(conversation.map((entry) => loadXRay(store, entry.id)));
    expect(xrays.filter((xray) => xray !== null).map((xray) => [xray!.mode, xray!.transport])).toContainEqual(['e2ee', null]);
  });

  it('a damaged record is STORE_CORRUPT naming the key and the field, never the value', async () => {
    const store = oldProfile('alice');
    const self = PROFILES_BEFORE_BYTES.alice[keys.self] as { identity: { publicKey: string; privateKey: string } };
    const shortKey = self.identity.privateKey.slice(0, 40);
    await store.put({ [keys.self]: { ...self, identity: { ...self.identity, privateKey: shortKey } } });
    const error = await caught(readRecord(store, SelfKind, keys.self));
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.details).toEqual({ key: 'self', record: 'account record' });
    expect(error.message).toContain('identity.privateKey: must be 64 bytes');
    expect(error.message).not.toContain(shortKey);
  });

  it('refuses fields it does not know, wrong types and out-of-range values (strict, bounded)', async () => {
    const store = oldProfile('alice');
    const [inboxKey] = await store.list(keys.inboxPrefix);
    const entry = PROFILES_BEFORE_BYTES.alice[inboxKey!] as Record<string, unknown>;
    const damaged = [{ ...entry, extra: 1 }, { ...entry, order: -1 }, { ...entry, text: 'x'.repeat(4001) }, { ...entry, kind: 'other' }, { ...entry, from: 'Not A Name' }, 'text'];
    for (const value of damaged) {
      await store.put({ [inboxKey!]: value });
      expect((await caught(readRecord(store, recordKindOf(inboxKey!)!, inboxKey!))).details.key).toBe(inboxKey);
    }
  });

  it('the client says what is wrong with a damaged profile instead of crashing: open, and a damaged message in a conversation', async () => {
    const damagedSelf = oldProfile('alice');
    await damagedSelf.put({ [keys.self]: { ...(PROFILES_BEFORE_BYTES.alice[keys.self] as object), registered: 'yes' } });
    const opening = await caught(EnvelopeClient.open({ store: damagedSelf, WebSocket }));
    expect(opening.code).toBe('STORE_CORRUPT');
    expect(opening.message).toContain('"self"');
    expect(opening.message).toContain('registered');

    const store = oldProfile('alice');
    const [inboxKey] = await store.list(keys.inboxPrefix);
    await store.put({ [inboxKey!]: { ...(PROFILES_BEFORE_BYTES.alice[inboxKey!] as object), storedAt: 'yesterday' } });
    const client = await EnvelopeClient.open({ store, WebSocket });
    try {
      const error = await caught(client.conversation('bob'));
      expect(error.code).toBe('STORE_CORRUPT');
      expect(error.details.key).toBe(inboxKey);
      // The rest of the profile still works.
      expect((await client.contacts()).map((c) => c.username)).toEqual(['bob']);
    } finally {
      await client.close();
    }
  });
});
