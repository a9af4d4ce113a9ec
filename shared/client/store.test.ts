import { describe, expect, it } from 'vitest';
import { MemoryStore, OWNER_KEY } from './store.js';

describe('MemoryStore', () => {
  it('a put is all or nothing: one value that is not plain data and no entry is written', async () => {
    const store = new MemoryStore();
    await store.put({ a: 1 });
    await expect(store.put({ a: 2, b: 'two', c: new Map([[1, 2]]) })).rejects.toThrow(/not plain data/);
    expect(store.entries()).toEqual({ a: 1 });
  });

  it('keeps bytes as bytes, copied both ways (a Node Buffer or a view onto a larger buffer comes back a plain Uint8Array of its own)', async () => {
    const store = new MemoryStore();
    const key = Uint8Array.from([1, 2, 3, 250]);
    const view = new Uint8Array(Uint8Array.from([9, 9, 7, 8, 9]).buffer, 2, 2);
    await store.put({ k: { key, nested: [view], buf: Buffer.from([5, 6]) } });
    key[0] = 0; // the caller's array changes; the stored one does not
    const read = (await store.get('k')) as { key: Uint8Array; nested: Uint8Array[]; buf: Uint8Array };
    expect(read.key).toBeInstanceOf(Uint8Array);
    expect([...read.key]).toEqual([1, 2, 3, 250]);
    expect([...read.nested[0]!]).toEqual([7, 8]);
    expect(read.nested[0]!.buffer.byteLength).toBe(2);
    expect(Object.getPrototypeOf(read.buf)).toBe(Uint8Array.prototype);
    read.key[1] = 0; // nor does changing what was read
    expect([...((await store.get('k')) as { key: Uint8Array }).key]).toEqual([1, 2, 3, 250]);
  });

  it('refuses values JSON would silently change (NaN, Infinity, Map, class instances)', async () => {
    const store = new MemoryStore();
    for (const value of [Number.NaN, Infinity, new Map(), new (class Point { x = 1 })(), { nested: new Set() }]) {
      await expect(store.put({ k: value })).rejects.toThrow();
    }
    expect(await store.list('')).toEqual([]);
  });

  it('undefined deletes, in the same atomic put as the writes', async () => {
    const store = new MemoryStore();
    await store.put({ 'outbox/1': { n: 1 }, 'session/bob/1': { v: 1 } });
    await store.put({ 'outbox/1': undefined, 'session/bob/1': { v: 2 }, 'inbox/9': 'x' });
    expect(store.entries()).toEqual({ 'session/bob/1': { v: 2 }, 'inbox/9': 'x' });
  });

  it('lists keys by prefix, sorted', async () => {
    const store = new MemoryStore();
    await store.put({ 'seen/b': 1, 'seen/a': 2, 'session/x/1': 3, seen: 4 });
    expect(await store.list('seen/')).toEqual(['seen/a', 'seen/b']);
    expect(await store.list('se')).toEqual(['seen', 'seen/a', 'seen/b', 'session/x/1']);
    expect(await store.list('nothing/')).toEqual([]);
  });

  it('hands out copies: changing a value read or written does not change the store', async () => {
    const store = new MemoryStore();
    const written = { list: [1, 2] };
    await store.put({ k: written });
    written.list.push(3);
    const read = (await store.get('k')) as { list: number[] };
    read!.list.push(4);
    expect(await store.get('k')).toEqual({ list: [1, 2] });
  });

  it('get of a missing key is undefined', async () => {
    expect(await new MemoryStore().get('missing')).toBeUndefined();
  });

  it('a fenced put writes only while the stored owner epoch is the one it names, and otherwise nothing', async () => {
    const store = new MemoryStore();
    await store.put({ [OWNER_KEY]: { epoch: 1 }, 'session/bob/1': { v: 1 } }, { ifEpoch: 0 }); // the first claim
    await store.put({ 'session/bob/1': { v: 2 } }, { ifEpoch: 1 });
    await store.put({ [OWNER_KEY]: { epoch: 2 } }, { ifEpoch: 1 }); // another client takes the profile over
    await expect(store.put({ 'session/bob/1': { v: 3 }, 'outbox/1': 'x' }, { ifEpoch: 1 })).rejects.toMatchObject({
      code: 'NOT_OWNER',
      details: { expectedEpoch: 1, foundEpoch: 2 },
    });
    await expect(store.put({ [OWNER_KEY]: { epoch: 1 } }, { ifEpoch: 0 })).rejects.toMatchObject({ code: 'NOT_OWNER' }); // a claim on a stale read
    expect(store.entries()).toEqual({ [OWNER_KEY]: { epoch: 2 }, 'session/bob/1': { v: 2 } });
    await store.put({ 'inbox/1': 'unfenced' }); // without ifEpoch a put is not checked (what claims build on)
    expect(await store.get('inbox/1')).toBe('unfenced');
  });
});
