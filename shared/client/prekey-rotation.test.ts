/**
 * Rotation of the signed prekey and the last-resort KEM prekey (prekey-rotation.ts)
 * end to end: EnvelopeClient with an injected clock against the real server in
 * process (real SQLite, HTTP, WebSockets, crypto).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getJson, register as registerRaw, type RegisteredDevice, UNLIMITED_BUNDLE_FETCHES } from '@envelope/testkit/harness.js';
import { FAST_BACKOFF, liveClients, online as goOnline, type InProcessServer as Server } from '@envelope/testkit/live-clients.js';
import { verifyPreKeyBundle } from '@envelope/crypto';
import { cryptoReady } from '@envelope/crypto-public';
import { BundleResponseSchema } from '@envelope/protocol';
import type { ClientEvents } from './client-events.js';
import type { EnvelopeClient } from './client.js';
import { TARGET_ONE_TIME_KEM_PREKEYS } from './own-prekeys.js';
import { PREKEY_ROTATION_INTERVAL_MS, RETIRED_PREKEY_GRACE_MS } from './prekey-rotation.js';
import { MemoryStore } from './store.js';
import { fetchTap, wireTap, type FetchTap, type WireTap } from '@envelope/testkit/wire-tap.js';

beforeAll(async () => {
  await cryptoReady();
});

const live = liveClients();

const T0 = Date.UTC(2026, 0, 5, 9);

interface Device {
  client: EnvelopeClient;
  store: MemoryStore;
  http: FetchTap;
  tap: WireTap;
  /** Set it to move this device's clock. */
  clock: { now: number };
}

async function setUp(): Promise<{ server: Server; reader: RegisteredDevice; device: (name: string) => Promise<Device> }> {
  const server = await live.server({ bundleFetchLimits: UNLIMITED_BUNDLE_FETCHES });
  const reader = await registerRaw(server.url, 'reader');
  const device = async (name: string): Promise<Device> => {
    const clock = { now: T0 };
    const store = new MemoryStore();
    const http = fetchTap();
    const tap = wireTap();
    const options = { serverUrl: server.url, store, fetch: http.fetch, WebSocket: tap.WebSocket, now: () => clock.now, backoff: FAST_BACKOFF };
    const client = await live.open(options, name);
    return { client, store, http, tap, clock };
  };
  return { server, reader, device };
}

/** Resolves with the next `event` the client emits. */
function next<K extends keyof ClientEvents>(client: EnvelopeClient, event: K): Promise<ClientEvents[K]> {
  return new Promise((resolve) => {
    const off = client.events.on(event, (payload) => {
      off();
      resolve(payload);
    });
  });
}

/** Every `event` the client emits from now on. */
function collect<K extends keyof ClientEvents>(client: EnvelopeClient, event: K): ClientEvents[K][] {
  const seen: ClientEvents[K][] = [];
  client.events.on(event, (payload) => seen.push(payload));
  return seen;
}

const online = (device: Device) => goOnline(device.client);

/** Cuts the connection; the client reconnects, and the server's 'ready' follows. */
function reconnect(device: Device): void {
  device.tap.latest().cut();
}

/** The bundle the server hands out for `name` now, checked as a client checks it. */
async function bundle(server: Server, reader: RegisteredDevice, name: string) {
  const { status, json } = await getJson(`${server.url}/api/accounts/${name}/bundle`, reader.token);
  expect(status).toBe(200);
  const device = BundleResponseSchema.parse(json).devices[0]!;
  verifyPreKeyBundle({ identityKey: device.identityKey, signedPreKey: device.signedPreKey, kemPreKey: device.kemPreKey });
  return device;
}

/** Takes every one-time KEM prekey of `name` (offline: no refill), so the next bundle carries the last-resort one. */
async function drainKemPreKeys(server: Server, reader: RegisteredDevice, name: string): Promise<void> {
  for (let i = 0; i <= TARGET_ONE_TIME_KEM_PREKEYS; i++) {
    if ((await bundle(server, reader, name)).kemPreKey?.lastResort) return;
  }
  throw new Error(`${name} still has one-time KEM prekeys`);
}

/** The last-resort KEM prekey the server holds for `name`, from its database. */
function serverLastResort(server: Server, name: string): { id: number; publicKey: string } {
  const row = server.server.db
    .prepare<[string], { id: number; publicKey: Buffer }>('SELECT key_id AS id, public_key AS publicKey FROM kem_prekeys WHERE username = ? AND last_resort = 1')
    .get(name)!;
  return { id: row.id, publicKey: row.publicKey.toString('base64url') };
}

describe('signed and last-resort KEM prekey rotation', () => {
  it(`rotates when the keys have been handed out for ${PREKEY_ROTATION_INTERVAL_MS / 86_400_000} days, not before, checked at every ready`, async () => {
    const { server, reader, device } = await setUp();
    const alice = await device('alice');
    await online(alice);
    expect(await alice.client.rotatePreKeys()).toBeNull();
    alice.clock.now = T0 + PREKEY_ROTATION_INTERVAL_MS - 1;
    expect(await alice.client.rotatePreKeys()).toBeNull();
    const before = await bundle(server, reader, 'alice');
    const lastResortBefore = serverLastResort(server, 'alice');
    expect([before.signedPreKey.id, lastResortBefore.id]).toEqual([1, 1]);

    // Due: the next 'ready' (here after a reconnect) rotates.
    alice.clock.now = T0 + PREKEY_ROTATION_INTERVAL_MS;
    const rotated = next(alice.client, 'prekeys-rotated');
    reconnect(alice);
    const ids = await rotated;
    expect(ids.signedPreKeyId).toBe(2);
    const after = await bundle(server, reader, 'alice');
    expect(after.signedPreKey.id).toBe(2);
    expect(after.signedPreKey.publicKey).not.toEqual(before.signedPreKey.publicKey);
    const lastResortAfter = serverLastResort(server, 'alice');
    expect(lastResortAfter.id).toBe(ids.lastResortKemPreKeyId);
    expect(lastResortAfter.id).toBeGreaterThan(1);
    expect(lastResortAfter.publicKey).not.toBe(lastResortBefore.publicKey);
    // The next one is due a whole interval later.
    alice.clock.now = T0 + 2 * PREKEY_ROTATION_INTERVAL_MS - 1;
    expect(await alice.client.rotatePreKeys()).toBeNull();
    alice.clock.now = T0 + 2 * PREKEY_ROTATION_INTERVAL_MS;
    expect(await alice.client.rotatePreKeys()).toEqual({ signedPreKeyId: 3, lastResortKemPreKeyId: expect.any(Number) });
  });

  for (const sweptFirst of [false, true]) {
    it(`a first message from a bundle fetched before the rotation opens within the grace period, and is refused after it${sweptFirst ? ' (old key deleted first)' : ' (before the deletion ran)'}`, async () => {
      const { server, reader, device } = await setUp();
      const alice = await device('alice');
      const carol = await device('carol');
      const dave = await device('dave');
      await drainKemPreKeys(server, reader, 'alice'); // so the senders' bundles carry the last-resort KEM prekey too
      await online(carol);
      // Both fetch Alice's bundle (signed prekey 1, last-resort KEM prekey 1) and encrypt for her
      // now; Carol's message reaches the server, Dave's waits in his outbox (he is offline).
      await carol.client.send('alice', 'sent before the rotation');
      const late = await dave.client.enqueue('alice', 'encrypted before the rotation, delivered late');
      alice.clock.now = T0 + PREKEY_ROTATION_INTERVAL_MS;
      expect(await alice.client.rotatePreKeys()).toMatchObject({ signedPreKeyId: 2 });
      expect((await bundle(server, reader, 'alice')).signedPreKey.id).toBe(2);

      // Within the grace period the retired keys still open Carol's message.
      alice.clock.now = T0 + PREKEY_ROTATION_INTERVAL_MS + RETIRED_PREKEY_GRACE_MS - 1;
      const received = collect(alice.client, 'message');
      await online(alice); // 'ready' follows the backlog, handled
      expect(received.map((m) => m.text)).toEqual(['sent before the rotation']);
      expect(await alice.store.get('spk/1')).toBeDefined();
      await alice.client.close();
      await online(dave);
      await late.stored;

      // Past it, Dave's message (made from the same old bundle, delivered late) is refused. (A
      // rotation is due again by then, so 'ready' rotates, and deletes expired keys on the way.)
      const later = await live.open({
        store: alice.store,
        WebSocket: alice.tap.WebSocket,
        now: () => T0 + PREKEY_ROTATION_INTERVAL_MS + RETIRED_PREKEY_GRACE_MS + PREKEY_ROTATION_INTERVAL_MS,
      });
      if (sweptFirst) {
        await later.rotatePreKeys();
        expect(await alice.store.get('spk/1')).toBeUndefined();
        expect(await alice.store.get('kem/1')).toBeUndefined();
      } else {
        expect(await alice.store.get('spk/1')).toBeDefined(); // still stored, but past its lifetime: not used
      }
      const refused = collect(later, 'undecryptable');
      const swept = next(later, 'prekeys-rotated');
      const ready = later.whenReady(10_000);
      later.connect();
      await ready;
      expect(refused).toEqual([expect.objectContaining({ from: 'dave', reason: 'UNKNOWN_PREKEY' })]);
      if (!sweptFirst) await swept; // the rotation at 'ready' deleted the expired keys first
      expect(await alice.store.get('spk/1')).toBeUndefined();
      expect(await alice.store.get('kem/1')).toBeUndefined();
      expect(await alice.store.get('spk/2')).toBeDefined(); // retired later: still in its grace period
    });
  }

  it('a rotation whose answer was lost is uploaded again, unchanged, and then completes', async () => {
    const { server, reader, device } = await setUp();
    const alice = await device('alice');
    alice.clock.now = T0 + PREKEY_ROTATION_INTERVAL_MS;
    alice.http.loseNextResponse('/api/keys');
    await expect(alice.client.rotatePreKeys()).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE' });
    const landed = await bundle(server, reader, 'alice');
    expect(landed.signedPreKey.id).toBe(2);
    expect(await alice.store.get('spk/1')).toBeDefined();
    expect(await alice.client.rotatePreKeys()).toMatchObject({ signedPreKeyId: 2 });
    const after = await bundle(server, reader, 'alice');
    expect(after.signedPreKey).toEqual(landed.signedPreKey);
    expect(alice.http.requests.filter((r) => r === 'PUT /api/keys')).toHaveLength(2);
  });

  it('a key reset after a rotation starts past the ids it used (the stored account record, not the one loaded at start)', async () => {
    const { server, reader, device } = await setUp();
    const alice = await device('alice');
    alice.clock.now = T0 + PREKEY_ROTATION_INTERVAL_MS;
    const rotated = (await alice.client.rotatePreKeys())!;
    await alice.client.resetKeys();
    const after = await bundle(server, reader, 'alice');
    expect(after.signedPreKey.id).toBe(rotated.signedPreKeyId + 1);
    expect(serverLastResort(server, 'alice').id).toBeGreaterThan(rotated.lastResortKemPreKeyId);
  });
});
