/**
 * What the mode changes, proved on the bytes: real clients with real
 * encryption talk through the real server (in process, real SQLite file), the
 * server is switched to transport-only and back, and the stores are read as
 * files. A canary sent end-to-end encrypted (before the switch, and after
 * switching back) is in neither the database file nor its WAL, nor in any
 * operator or warrant answer; the text sent under transport-only is, in both,
 * which shows the search finds text where the server holds it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeClient, MemoryStore } from '@envelope/client-core';
import { wireTap } from '@envelope/testkit/wire-tap.js';
import { getJson, PATIENCE_MS, randomMessageId, RawSocket, register, startInProcess } from '@envelope/testkit/harness.js';
import { leaksOf, setPolicyMode, textMessageBytes, transportBody } from './testing.js';

const BEFORE = 'canary before: the key is in the blue flowerpot';
const AFTER = 'canary after: we switch trains at Crewe';
const READABLE = 'readable while the server reads: lunch at noon';

let env: Awaited<ReturnType<typeof startInProcess>>;
const clients: EnvelopeClient[] = [];

async function person(name: string): Promise<EnvelopeClient> {
  const client = await EnvelopeClient.open({ serverUrl: env.url, store: new MemoryStore(), WebSocket: wireTap().WebSocket });
  clients.push(client);
  await client.register(name);
  const ready = client.whenReady(PATIENCE_MS);
  client.connect();
  await ready;
  return client;
}

/** Sends `text` from one client to the other and resolves once the recipient has read it. */
async function deliver(from: EnvelopeClient, to: EnvelopeClient, text: string): Promise<void> {
  const read = new Promise<void>((resolve) => {
    const off = to.events.on('message', (entry) => {
      if (entry.kind === 'text' && entry.text === text) {
        off();
        resolve();
      }
    });
  });
  await (await from.enqueue(to.account!.username, text)).stored;
  await read;
}

beforeAll(async () => {
  env = await startInProcess();
  const alice = await person('alice');
  const bob = await person('bob');
  await deliver(alice, bob, BEFORE);

  // transport-only, for one message built as a client builds one (raw frames: this branch's clients do not write it yet).
  const { transportKey } = await setPolicyMode(env.url, env.server.operatorToken, 'transport-only');
  const carol = await register(env.url, 'carol');
  const socket = await RawSocket.authenticated(env.url, carol);
  const id = randomMessageId();
  socket.send({ type: 'send', id, to: 'bob', toDevice: 1, body: transportBody(transportKey!, textMessageBytes(READABLE)), mode: 'transport-only' });
  await socket.next((f) => f.type === 'stored' && f.id === id);
  socket.close();

  await setPolicyMode(env.url, env.server.operatorToken, 'e2ee');
  await deliver(bob, alice, AFTER);
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await env.close();
});

/** Everything the operator can ask the server, as text. */
async function operatorAnswers(): Promise<string> {
  const paths = [
    '/api/operator/envelopes?limit=500',
    '/api/operator/content',
    '/api/operator/accounts',
    '/api/operator/graph',
    '/api/operator/schema',
    '/api/operator/signals',
    ...['alice', 'bob', 'carol'].flatMap((name) => [`/api/operator/timeline/${name}`, `/api/operator/warrant/${name}`]),
    '/api/policy',
  ];
  const answers = await Promise.all(paths.map(async (path) => [path, await getJson(`${env.url}${path}`, env.server.operatorToken)] as const));
  for (const [path, { status }] of answers) expect(status, path).toBe(200);
  return answers.map(([path, { json }]) => `${path} ${JSON.stringify(json)}`).join('\n');
}

describe('what the server holds across a switch and back', () => {
  it('never has an end-to-end encrypted canary, in its database file, its WAL or any operator or warrant answer', async () => {
    const files = [env.server.databasePath, `${env.server.databasePath}-wal`].map((path) => readFileSync(path).toString('latin1')).join('\n');
    const answers = await operatorAnswers();
    for (const canary of [BEFORE, AFTER]) {
      expect(leaksOf(canary, files), canary).toEqual([]);
      expect(leaksOf(canary, answers), canary).toEqual([]);
    }
    // The search can find text: what was sent under transport-only is in the file and in the answers.
    expect(files).toContain(READABLE);
    expect(answers).toContain(READABLE);
  });

  it('keeps only the transport-only message in its content log, and says so in the announcement', async () => {
    // (A client that writes transport-only may also have sent a receipt in that window: a row with no text.)
    const texts = env.server.db.prepare("SELECT text FROM content_log WHERE kind = 'text'").pluck().all();
    expect(texts).toEqual([READABLE]);
    const held = env.server.db.prepare('SELECT count(*) FROM content_log').pluck().get();
    const announced = (await getJson(`${env.url}/api/policy`)).json;
    expect(announced).toMatchObject({ mode: 'e2ee', exposure: { messages: held } });
    expect(announced.exposure.people).toBeGreaterThanOrEqual(2);
    expect(env.server.db.prepare("SELECT count(*) FROM metadata_log WHERE mode = 'e2ee'").pluck().get()).toBeGreaterThanOrEqual(2);
  });
});
