/**
 * The IndexedDB store keeps the ClientStore promises the client core relies on
 * (the same behaviours shared/client/store.test.ts checks for the MemoryStore),
 * plus what only a real database adds: data survives closing and reopening,
 * and a put the database refuses half-way writes nothing. Runs on
 * fake-indexeddb, an implementation of the IndexedDB spec for Node. A last test
 * drives a real EnvelopeClient over it against the real server.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cryptoReady } from '@envelope/crypto-public';
import { WebSocket } from 'ws';
import { PATIENCE_MS, startInProcess } from '@envelope/testkit/harness.js';
import { EnvelopeClient, OWNER_KEY } from '@envelope/client-core';
import { continueOldConversation, PROFILES_BEFORE_BYTES } from '../../../../shared/client/fixtures/profiles-before-bytes.js';
import { IndexedDbStore } from './indexeddb-store.js';
import { newPersonaId, personaDatabaseName, PersonaRegistry } from './personas.js';

let counter = 0;
const opened: { close(): void }[] = [];

async function freshStore(name = `test-${++counter}`): Promise<IndexedDbStore> {
  const store = await IndexedDbStore.open(name);
  opened.push(store);
  return store;
}

async function everything(store: IndexedDbStore): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const key of await store.list('')) result[key] = await store.get(key);
  return result;
}

/** A persona database as the previous version wrote it: version 1, each value its JSON text. */
async function writeVersionOneDatabase(name: string, entries: Readonly<Record<string, unknown>>): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('kv');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = db.transaction('kv', 'readwrite');
  for (const [key, value] of Object.entries(entries)) tx.objectStore('kv').put(JSON.stringify(value), key);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const store of opened.splice(0)) store.close();
});

beforeAll(async () => {
  await cryptoReady();
});

describe('IndexedDbStore', () => {
  it('a put is all or nothing: one value that is not plain data and no entry is written', async () => {
    const store = await freshStore();
    await store.put({ a: 1 });
    await expect(store.put({ a: 2, b: 'two', c: new Map([[1, 2]]) })).rejects.toThrow(/not plain data/);
    expect(await everything(store)).toEqual({ a: 1 });
  });

  it('refuses values JSON would silently change (NaN, Infinity, Map, class instances)', async () => {
    const store = await freshStore();
    for (const value of [Number.NaN, Infinity, new Map(), new (class Point { x = 1 })(), { nested: new Set() }]) {
      await expect(store.put({ k: value })).rejects.toThrow();
    }
    expect(await store.list('')).toEqual([]);
  });

  it('undefined deletes, in the same atomic put as the writes', async () => {
    const store = await freshStore();
    await store.put({ 'outbox/1': { n: 1 }, 'session/bob/1': { v: 1 } });
    await store.put({ 'outbox/1': undefined, 'session/bob/1': { v: 2 }, 'inbox/9': 'x' });
    expect(await everything(store)).toEqual({ 'session/bob/1': { v: 2 }, 'inbox/9': 'x' });
  });

  it('lists keys by prefix, sorted', async () => {
    const store = await freshStore();
    await store.put({ 'seen/b': 1, 'seen/a': 2, 'session/x/1': 3, seen: 4, 'seeo/z': 5 });
    expect(await store.list('seen/')).toEqual(['seen/a', 'seen/b']);
    expect(await store.list('se')).toEqual(['seen', 'seen/a', 'seen/b', 'seeo/z', 'session/x/1']);
    expect(await store.list('nothing/')).toEqual([]);
  });

  it('hands out copies: changing a value read or written does not change the store', async () => {
    const store = await freshStore();
    const written = { list: [1, 2] };
    await store.put({ k: written });
    written.list.push(3);
    const read = (await store.get('k')) as { list: number[] };
    read!.list.push(4);
    expect(await store.get('k')).toEqual({ list: [1, 2] });
  });

  it('get of a missing key is undefined', async () => {
    expect(await (await freshStore()).get('missing')).toBeUndefined();
  });

  it('keeps everything across closing and reopening the database', async () => {
    const first = await IndexedDbStore.open('reopen');
    await first.put({ self: { username: 'alice' }, 'inbox/1': { text: 'hi' } });
    first.close();
    const again = await freshStore('reopen');
    expect(await everything(again)).toEqual({ self: { username: 'alice' }, 'inbox/1': { text: 'hi' } });
  });

  it('a write the database refuses part-way through a put leaves none of the put behind', async () => {
    const store = await freshStore();
    await store.put({ 'session/bob/1': { v: 1 } });
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (key === 'outbox/2') throw new DOMException('quota exceeded', 'QuotaExceededError');
      return realPut.call(this, value, key);
    });
    await expect(store.put({ 'session/bob/1': { v: 2 }, 'outbox/2': { body: 'x' } })).rejects.toThrow(/quota/);
    vi.restoreAllMocks();
    expect(await everything(store)).toEqual({ 'session/bob/1': { v: 1 } });
  });

  it('a fenced put checks the owner epoch in its own transaction: a tab that was taken over writes nothing', async () => {
    const firstTab = await freshStore('fenced');
    const secondTab = await freshStore('fenced'); // the same database, opened again (another tab)
    await firstTab.put({ [OWNER_KEY]: { epoch: 1 }, 'session/bob/1': { v: 1 } }, { ifEpoch: 0 });
    await firstTab.put({ 'session/bob/1': { v: 2 } }, { ifEpoch: 1 });
    await secondTab.put({ [OWNER_KEY]: { epoch: 2 } }, { ifEpoch: 1 });
    await expect(firstTab.put({ 'session/bob/1': { v: 3 }, 'outbox/1': 'x' }, { ifEpoch: 1 })).rejects.toMatchObject({ code: 'NOT_OWNER' });
    expect(await everything(secondTab)).toEqual({ [OWNER_KEY]: { epoch: 2 }, 'session/bob/1': { v: 2 } });

    // Racing: a claim and a fenced write started together. Either the write committed before the claim, or nothing of it did.
    const write = firstTab.put({ 'session/bob/1': { v: 4 } }, { ifEpoch: 2 }).then(() => 'written', (error: unknown) => (error as { code?: string }).code);
    const claim = secondTab.put({ [OWNER_KEY]: { epoch: 3 } }, { ifEpoch: 2 });
    const [outcome] = await Promise.all([write, claim]);
    expect(await secondTab.get('session/bob/1')).toEqual(outcome === 'written' ? { v: 4 } : { v: 2 });
    expect(['written', 'NOT_OWNER']).toContain(outcome);
  });

  it('keeps bytes as bytes (structured clone), across closing and reopening', async () => {
    const first = await IndexedDbStore.open('bytes');
    const key = Uint8Array.from({ length: 64 }, (_, i) => i * 3);
    await first.put({ 'spk/1': { id: 1, privateKey: key, nested: [{ b: Uint8Array.of(0, 255) }] } });
    first.close();
    const again = await freshStore('bytes');
    const read = (await again.get('spk/1')) as { privateKey: Uint8Array; nested: { b: Uint8Array }[] };
    expect(read.privateKey).toBeInstanceOf(Uint8Array);
    expect(read.privateKey).toEqual(key);
    expect(read.nested[0]!.b).toEqual(Uint8Array.of(0, 255));
  });

  it('a database of the previous version (every value JSON text, keys base64url) is upgraded on open and its profile carries on', async () => {
    for (const name of ['v1-alice', 'v1-bob'] as const) {
      await writeVersionOneDatabase(name, PROFILES_BEFORE_BYTES[name === 'v1-alice' ? 'alice' : 'bob']);
    }
    const alice = await freshStore('v1-alice');
    const bob = await freshStore('v1-bob');
    // Upgraded in place: values are data again, still holding the old base64url strings until rewritten.
    expect(typeof ((await alice.get('self')) as { identity: { publicKey: unknown } }).identity.publicKey).toBe('string');
    const result = await continueOldConversation(alice, bob);
    expect(result.aliceRead).toBe('after the upgrade');
    expect(result.bobRead).toBe('still works');
    expect(result.aliceSees).toEqual(['sent: hello bob', 'received: hi alice', 'sent: how are you?', 'sent: queued before the upgrade', 'received: after the upgrade', 'sent: still works']);
  });

  it('databases are separate: two personas never see each other’s keys', async () => {
    const alice = await freshStore('persona-a');
    const bob = await freshStore('persona-b');
    await alice.put({ self: 'alice' });
    expect(await bob.get('self')).toBeUndefined();
    expect(await bob.list('')).toEqual([]);
  });
});

describe('PersonaRegistry', () => {
  it('lists personas in the order they were added, with their names, and removes one with its database', async () => {
    const registry = await PersonaRegistry.open();
    opened.push(registry);
    for (const entry of await registry.list()) await registry.remove(entry.id);
    const a = await registry.add(1_000);
    const b = await registry.add(2_000);
    const c = await registry.add(1_500_000_000_000);
    await registry.setUsername(b.id, 'bob');
    expect((await registry.list()).map((p) => [p.id, p.username])).toEqual([
      [a.id, undefined],
      [b.id, 'bob'],
      [c.id, undefined],
    ]);

    const bobStore = await IndexedDbStore.open(personaDatabaseName(b.id));
    await bobStore.put({ self: { username: 'bob' } });
    bobStore.close();
    await registry.remove(b.id);
    expect((await registry.list()).map((p) => p.id)).toEqual([a.id, c.id]);
    const reopened = await freshStore(personaDatabaseName(b.id));
    expect(await reopened.list('')).toEqual([]);
  });

  it('a name recorded as the persona is removed does not bring it back', async () => {
    const registry = await PersonaRegistry.open();
    opened.push(registry);
    for (const entry of await registry.list()) await registry.remove(entry.id);
    const bob = await registry.add(3_000);
    // As in the page: the join finishes (and records the name) while the user removes the pane.
    await Promise.all([registry.setUsername(bob.id, 'bob'), registry.remove(bob.id)]);
    expect(await registry.list()).toEqual([]);
  });

  it('ids sort by creation time, and differ within one millisecond', () => {
    const early = newPersonaId(5, new Uint8Array(6).fill(255));
    const late = newPersonaId(6, new Uint8Array(6));
    expect([late, early].sort()).toEqual([early, late]);
    expect(newPersonaId(7)).not.toEqual(newPersonaId(7));
  });
});

describe('the client core on IndexedDB', () => {
  it('registers, chats, and after the database is closed and reopened still has keys and history', async () => {
    const server = await startInProcess();
    try {
      const stores = { alice: await IndexedDbStore.open('client-alice'), bob: await IndexedDbStore.open('client-bob') };
      const open = (store: IndexedDbStore) => EnvelopeClient.open({ serverUrl: server.url, store, WebSocket });
      const alice = await open(stores.alice);
      const bob = await open(stores.bob);
      await alice.register('alice');
      await bob.register('bob');
      alice.connect();
      bob.connect();
      await Promise.all([alice.whenReady(PATIENCE_MS), bob.whenReady(PATIENCE_MS)]);
      const arrived = new Promise((resolve) => bob.events.on('message', resolve));
      await alice.send('bob', 'kept in IndexedDB');
      await arrived;
      await Promise.all([alice.close(), bob.close()]);
      stores.bob.close();

      const bobStore = await IndexedDbStore.open('client-bob');
      opened.push(bobStore, stores.alice);
      const bobAgain = await open(bobStore);
      expect(bobAgain.account?.username).toBe('bob');
      expect((await bobAgain.messages()).map((m) => (m.kind === 'text' ? m.text : m.kind))).toEqual(['kept in IndexedDB']);
      // The reopened profile still holds working keys: it logs in and answers.
      bobAgain.connect();
      await bobAgain.whenReady(PATIENCE_MS);
      await bobAgain.send('alice', 'still me');
      await bobAgain.close();
    } finally {
      await server.close();
    }
  });
});
