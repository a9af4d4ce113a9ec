import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { cryptoReady, toBase64Url } from '@envelope/crypto-public';
import { isClientError, OWNER_KEY, EnvelopeClient } from '@envelope/client-core';
import { continueOldConversation, PROFILES_BEFORE_BYTES } from '../../shared/client/fixtures/profiles-before-bytes.js';
import { WebSocket } from 'ws';
import { FileStore, PROFILE_FILE } from './file-store.js';
import { describeFailure, EXIT } from './report.js';

// Lets a test make the atomic rename fail, as a crash or a full disk would.
const failures = vi.hoisted(() => ({ rename: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      if (failures.rename) throw Object.assign(new Error('simulated crash before rename'), { code: 'EIO' });
      return actual.rename(from, to);
    },
  };
});

const tempDir = () => mkdtemp(join(tmpdir(), 'envelope-filestore-'));

beforeAll(async () => {
  await cryptoReady();
});

describe('FileStore', () => {
  it('a fenced put writes only while the stored owner epoch is the one it names, on disk too', async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    await store.put({ [OWNER_KEY]: { epoch: 1 }, 'session/bob/1': { v: 1 } }, { ifEpoch: 0 });
    await store.put({ [OWNER_KEY]: { epoch: 2 } }, { ifEpoch: 1 }); // taken over
    await expect(store.put({ 'session/bob/1': { v: 2 } }, { ifEpoch: 1 })).rejects.toMatchObject({ code: 'NOT_OWNER' });
    const reopened = await FileStore.open(dir);
    expect(await reopened.get('session/bob/1')).toEqual({ v: 1 });
    expect(await reopened.get(OWNER_KEY)).toEqual({ epoch: 2 });
  });

  it('what a put stored is there after reopening, deletions included', async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    await store.put({ self: { username: 'alice' }, 'otk/1': { id: 1 }, 'otk/2': { id: 2 } });
    await store.put({ 'otk/1': undefined, 'session/bob/1': { v: 1, list: [1, 'two', null, true] } });
    const reopened = await FileStore.open(dir);
    expect(await reopened.list('')).toEqual(['otk/2', 'self', 'session/bob/1']);
    expect(await reopened.get('session/bob/1')).toEqual({ v: 1, list: [1, 'two', null, true] });
    expect(await reopened.get('otk/1')).toBeUndefined();
  });

  it('keeps the profile private: file 0600 in a 0700 directory', async () => {
    const dir = join(await tempDir(), 'profile');
    const store = await FileStore.open(dir);
    await store.put({ self: 1 });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
  });

  it('a put that fails before the rename leaves the old file and the old contents, and no temporary file', async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    await store.put({ 'session/bob/1': { n: 1 } });
    const before = await readFile(join(dir, PROFILE_FILE), 'utf8');
    failures.rename = true;
    try {
      await expect(store.put({ 'session/bob/1': { n: 2 }, 'outbox/m1': { body: 'x' } })).rejects.toThrow(/simulated crash/);
    } finally {
      failures.rename = false;
    }
    expect(await readFile(join(dir, PROFILE_FILE), 'utf8')).toBe(before);
    expect(await store.get('session/bob/1')).toEqual({ n: 1 });
    expect(await store.get('outbox/m1')).toBeUndefined();
    expect(await readdir(dir)).toEqual([PROFILE_FILE]);
    // And the store goes on working.
    await store.put({ 'session/bob/1': { n: 3 } });
    expect(await (await FileStore.open(dir)).get('session/bob/1')).toEqual({ n: 3 });
  });

  it('a value that is not plain data is refused and nothing of that put is written', async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    await store.put({ a: 1 });
    await expect(store.put({ a: 2, b: new Map([[1, 2]]) })).rejects.toThrow(/not plain data/);
    expect(await (await FileStore.open(dir)).get('a')).toBe(1);
    expect(await store.get('a')).toBe(1);
  });

  it('bytes are stored once, tagged, and come back as bytes after reopening', async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    const key = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
    await store.put({ 'spk/1': { id: 1, privateKey: key, list: [Uint8Array.of(1)] } });
    const onDisk = JSON.parse(await readFile(join(dir, PROFILE_FILE), 'utf8')) as { v: number; entries: Record<string, { privateKey: unknown }> };
    expect(onDisk.v).toBe(2);
    expect(onDisk.entries['spk/1']!.privateKey).toEqual({ $bytes: toBase64Url(key) });
    for (const reader of [store, await FileStore.open(dir)]) {
      const read = (await reader.get('spk/1')) as { privateKey: Uint8Array; list: Uint8Array[] };
      expect(read.privateKey).toBeInstanceOf(Uint8Array);
      expect(read.privateKey).toEqual(key);
      expect(read.list[0]).toEqual(Uint8Array.of(1));
    }
  });

  it('malformed tagged bytes are STORE_CORRUPT naming the key', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, PROFILE_FILE), JSON.stringify({ v: 2, entries: { 'spk/1': { privateKey: { $bytes: '!!' } } } }));
    const store = await FileStore.open(dir);
    await expect(store.get('spk/1')).rejects.toMatchObject({ code: 'STORE_CORRUPT', details: { key: 'spk/1' } });
  });

  it('a profile file of the previous format (keys as base64url strings) loads and its conversation carries on', async () => {
    const dirs = { alice: await tempDir(), bob: await tempDir() };
    for (const name of ['alice', 'bob'] as const) {
      await writeFile(join(dirs[name], PROFILE_FILE), JSON.stringify({ v: 1, entries: PROFILES_BEFORE_BYTES[name] }), { mode: 0o600 });
    }
    const result = await continueOldConversation(await FileStore.open(dirs.alice), await FileStore.open(dirs.bob));
    expect(result.aliceRead).toBe('after the upgrade');
    expect(result.bobRead).toBe('still works');
    expect(result.outboxBefore).toBe(1);
    // Rewritten in the new format, and still loads.
    const again = await FileStore.open(dirs.alice);
    expect(JSON.parse(await readFile(join(dirs.alice, PROFILE_FILE), 'utf8')).v).toBe(2);
    expect((await again.list('inbox/')).length).toBe(2);
  });

  it('a damaged record in a profile file stops the client with one line naming it, not a crash', async () => {
    const dir = await tempDir();
    const self = PROFILES_BEFORE_BYTES.alice['self'] as Record<string, unknown>;
    await writeFile(join(dir, PROFILE_FILE), JSON.stringify({ v: 1, entries: { ...PROFILES_BEFORE_BYTES.alice, self: { ...self, deviceId: 0 } } }), { mode: 0o600 });
    let failure: unknown;
    try {
      await EnvelopeClient.open({ store: await FileStore.open(dir), WebSocket });
    } catch (error) {
      failure = error;
    }
    expect(isClientError(failure, 'STORE_CORRUPT')).toBe(true);
    const { line, exitCode } = describeFailure(failure);
    expect(line).toMatch(/account record "self" is unreadable \(deviceId: /);
    expect(line).not.toContain('\n');
    expect(exitCode).toBe(EXIT.FAILED);
  });

  it('puts issued together are applied in order, none lost', async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.put({ [`seen/${String(i).padStart(2, '0')}`]: i, last: i })));
    const reopened = await FileStore.open(dir);
    expect(await reopened.list('seen/')).toHaveLength(30);
    expect(await reopened.get('last')).toBe(29);
  });

  it('a leftover temporary file from a crash is ignored; a damaged profile is STORE_CORRUPT', async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    await store.put({ self: 'kept' });
    await writeFile(join(dir, `.${PROFILE_FILE}.123.abc.tmp`), '{"v":1,"entries":{"self":"half');
    expect(await (await FileStore.open(dir)).get('self')).toBe('kept');
    for (const damaged of ['{"v":1,"entries":{"self":"half', '{"v":9,"entries":{}}', '[]']) {
      await writeFile(join(dir, PROFILE_FILE), damaged);
      let error: unknown;
      try {
        await FileStore.open(dir);
      } catch (caught) {
        error = caught;
      }
      expect(isClientError(error, 'STORE_CORRUPT')).toBe(true);
    }
  });
});
