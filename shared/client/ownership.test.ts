/**
 * Two EnvelopeClients over ONE profile store (two browser tabs of one persona)
 * against the real server, in process. A message key keys XChaCha20-Poly1305
 * with a zero nonce, so it must never encrypt twice: the test reads every
 * ciphertext off the wire (wire-tap.ts), decodes its ratchet header, and checks
 * that no (sending ratchet key, chain index) pair, which names one message key,
 * appears in two different envelopes. A client that was taken over must fail
 * with NOT_OWNER, and nothing it accepted may be lost or delivered twice.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { liveClients, online as goOnline, type InProcessServer as Server } from '@envelope/testkit/live-clients.js';
import { fromBase64Url, toBase64Url, cryptoReady } from '@envelope/crypto-public';
import { decodeRatchetHeader, parseSessionMessage } from '@envelope/crypto';
import type { EnvelopeClient } from './client.js';
import { isClientError } from './errors.js';
import { MemoryStore, type ClientStore } from './store.js';
import { wireTap, type Frame, type WireTap } from '@envelope/testkit/wire-tap.js';

beforeAll(async () => {
  await cryptoReady();
});

const live = liveClients();

/** Faster than the test kit's: these tests take a profile over again and again. */
const FAST_BACKOFF = { initialMs: 20, maxMs: 100, minMs: 5 };

interface Instance {
  readonly client: EnvelopeClient;
  readonly tap: WireTap;
  lost: boolean;
}

async function open(server: Server, store: ClientStore, name?: string): Promise<Instance> {
  const tap = wireTap();
  const client = await live.open({ serverUrl: server.url, store, WebSocket: tap.WebSocket, backoff: FAST_BACKOFF });
  const instance: Instance = { client, tap, lost: false };
  client.events.on('ownership-lost', () => (instance.lost = true));
  if (name) await client.register(name);
  return instance;
}

const online = (instance: Instance) => goOnline(instance.client);

/** Every envelope body sent on these taps, by envelope id (a resend carries the same id and must carry the same bytes). */
function sentBodies(taps: readonly WireTap[]): Map<string, string> {
  const bodies = new Map<string, string>();
  for (const frame of taps.flatMap((tap) => tap.sockets.flatMap((socket) => socket.sentOfType('send')))) {
    const { id, body } = frame as Frame & { id: string; body: string };
    const before = bodies.get(id);
    if (before !== undefined) expect(body, `envelope ${id} resent with other bytes`).toBe(before);
    bodies.set(id, body);
  }
  return bodies;
}

/** The message key each envelope used, named by its ratchet header: sending ratchet key and index in that chain. */
function messageKeyOf(body: string): string {
  const parsed = parseSessionMessage(fromBase64Url(body, 'body'));
  const header = decodeRatchetHeader(parsed.ratchetMessage);
  return `${toBase64Url(header.ratchetKey)}#${header.index}`;
}

function reusedKeys(bodies: Map<string, string>): string[] {
  const seen = new Map<string, string>();
  const reused: string[] = [];
  for (const [id, body] of bodies) {
    const key = messageKeyOf(body);
    const other = seen.get(key);
    if (other !== undefined) reused.push(`${key} in ${other} and ${id}`);
    seen.set(key, id);
  }
  return reused;
}

/** Enqueues each text; records which were accepted (in the outbox) and which were refused with NOT_OWNER. */
async function sendAll(client: EnvelopeClient, to: string, texts: readonly string[], accepted: string[], refused: string[]): Promise<void> {
  await Promise.all(
    texts.map(async (text) => {
      try {
        await client.enqueue(to, text);
        accepted.push(text);
      } catch (error) {
        if (!isClientError(error, 'NOT_OWNER')) throw error;
        refused.push(text);
      }
    }),
  );
}

const count = (list: readonly string[], value: string) => list.filter((item) => item === value).length;

describe('two clients over one profile', () => {
  it('racing send/send and receive/send: no message key is ever used twice, the taken-over client gets NOT_OWNER, nothing accepted is lost', async () => {
    const ROUNDS = 12;
    const PER_CLIENT = 3;
    const server = await live.server();
    const store = new MemoryStore(); // Alice's one profile
    const bob = await open(server, new MemoryStore(), 'bob');
    const first = await open(server, store, 'alice');
    await Promise.all([online(bob), online(first)]);
    await first.client.send('bob', 'hello');
    await bob.client.send('alice', 'hi');

    const instances = [first];
    const accepted: string[] = ['hello'];
    const refused: string[] = [];
    const bobSent: string[] = ['hi'];
    for (let round = 0; round < ROUNDS; round++) {
      const owner = instances.at(-1)!;
      const texts = (who: string) => Array.from({ length: PER_CLIENT }, (_, i) => `${who} round ${round} #${i}`);
      const fromBob = texts('bob');
      bobSent.push(...fromBob);
      // The second client opens (taking the profile over) after the owner has sent 0, 1, 2 or 3 of its messages, in turn.
      const openAfter = round % (PER_CLIENT + 1);
      let opened!: () => void;
      const openNow = new Promise<void>((resolve) => (opened = resolve));
      const ownerSends = (async () => {
        for (const [i, text] of texts('old').entries()) {
          if (i === openAfter) opened();
          await sendAll(owner.client, 'bob', [text], accepted, refused);
        }
        opened();
      })();
      await Promise.all([
        // The current owner keeps sending (and receiving what Bob sends)...
        ownerSends,
        // ...while a second client opens the same profile, takes it over, and sends at once...
        openNow.then(async () => {
          const next = await open(server, store);
          instances.push(next);
          next.client.connect();
          await sendAll(next.client, 'bob', texts('new'), accepted, refused);
        }),
        // ...and Bob's messages arrive at whichever of them the server is talking to.
        Promise.all(fromBob.map((text) => bob.client.send('alice', text))),
      ]);
    }

    // The last client owns the profile: it sends what is left in the outbox and receives what is waiting.
    const last = instances.at(-1)!;
    await last.client.whenReady(10_000);
    await vi.waitFor(async () => expect(await last.client.outbox()).toEqual([]), { timeout: 20_000 });
    await vi.waitFor(async () => {
      const toBob = (await bob.client.messages()).map((m) => (m.kind === 'text' ? m.text : m.reason));
      expect(toBob.length).toBe(accepted.length);
    }, { timeout: 20_000 });
    await vi.waitFor(async () => expect((await last.client.messages()).length).toBe(bobSent.length), { timeout: 20_000 });

    // No message key twice, across every ciphertext every Alice client put on the wire.
    const aliceBodies = sentBodies(instances.map((instance) => instance.tap));
    expect(aliceBodies.size).toBeGreaterThanOrEqual(accepted.length);
    expect(reusedKeys(aliceBodies)).toEqual([]);
    expect(reusedKeys(sentBodies([bob.tap]))).toEqual([]);

    // Taken-over clients were refused, with the typed error, and knew it.
    expect(refused.length).toBeGreaterThan(0);
    expect(instances.slice(0, -1).filter((instance) => instance.lost).length).toBeGreaterThan(0);
    expect(last.lost).toBe(false);

    // Every accepted message reached Bob exactly once; nothing refused did.
    const toBob = (await bob.client.messages()).map((m) => (m.kind === 'text' ? m.text : `unreadable: ${m.reason}`));
    expect(accepted.filter((text) => count(toBob, text) !== 1)).toEqual([]);
    expect(refused.filter((text) => toBob.includes(text))).toEqual([]);
    expect(toBob.filter((text) => text.startsWith('unreadable'))).toEqual([]);
    // Every message Bob sent is in Alice's profile exactly once.
    const toAlice = (await last.client.messages()).map((m) => (m.kind === 'text' ? m.text : `unreadable: ${m.reason}`));
    expect(bobSent.filter((text) => count(toAlice, text) !== 1)).toEqual([]);
  });

  it('a client taken over in the middle of a send cannot store (or send) what it encrypted', async () => {
    const server = await live.server();
    const store = new MemoryStore();
    // The first client reaches the profile through a view whose writes can be held at a gate (a slow disk): the same data.
    let gated = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reachedGate!: () => void;
    const atGate = new Promise<void>((resolve) => (reachedGate = resolve));
    const firstView: ClientStore = {
      get: (key) => store.get(key),
      list: (prefix) => store.list(prefix),
      put: async (entries, options) => {
        if (gated && Object.keys(entries).some((key) => key.startsWith('outbox/'))) {
          reachedGate();
          await gate;
        }
        return store.put(entries, options);
      },
    };
    const bob = await open(server, new MemoryStore(), 'bob');
    const first = await open(server, firstView, 'alice');
    await Promise.all([online(bob), online(first)]);
    await first.client.send('bob', 'hello');

    gated = true;
    const stolenFrom = first.client.enqueue('bob', 'from the old tab');
    await atGate; // encrypted, about to store
    const second = await open(server, store);
    await online(second);
    await second.client.send('bob', 'from the new tab');
    release();
    await expect(stolenFrom).rejects.toMatchObject({ code: 'NOT_OWNER' });
    expect(first.lost).toBe(true);
    expect(first.client.ownsProfile).toBe(false);
    expect(first.client.status).toBe('offline');

    await vi.waitFor(async () => expect((await bob.client.messages()).map((m) => m.kind === 'text' && m.text)).toEqual(['hello', 'from the new tab']));
    const bodies = sentBodies([first.tap, second.tap]);
    expect(bodies.size).toBe(2); // 'hello' and the new tab's message: the old tab's ciphertext never left
    expect(reusedKeys(bodies)).toEqual([]);
    await expect(first.client.enqueue('bob', 'still there?')).rejects.toMatchObject({ code: 'NOT_OWNER' });
    expect(() => first.client.connect()).toThrow(expect.objectContaining({ code: 'NOT_OWNER' }));
  });
});
