/**
 * Sealed sender end to end: real clients, real encryption, the real server in
 * process. With the setting on, the sender's envelope travels over a request
 * that carries no token, and nothing the server stores or answers names the
 * sender; the recipient still reads it, from the right person. A report of
 * such a message is filed with the sender unverified, and the signals count it
 * as unattributable.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeClient } from '../../shared/client/client.js';
import type { FetchLike } from '../../shared/client/server-api.js';
import { MemoryStore } from '../../shared/client/store.js';
import { wireTap } from '../../shared/client/wire-tap.js';
import type { MessageId } from '../../shared/protocol/ids.js';
import { OperatorEnvelopesResponseSchema } from '../../shared/protocol/operator.js';
import { SignalsResponseSchema } from '../../shared/protocol/signals.js';
import { WarrantAnswerSchema } from '../../shared/protocol/warrant.js';
import { getJson, startInProcess } from '../testing/harness.js';

const SEALED_TEXT = 'sealed: the server must not know who wrote this';

let env: Awaited<ReturnType<typeof startInProcess>>;
const clients: EnvelopeClient[] = [];
/** Every request the sender's client made: method, path, and whether it carried a token. */
const aliceRequests: { method: string; path: string; authorized: boolean }[] = [];

async function person(name: string, requests?: typeof aliceRequests): Promise<EnvelopeClient> {
  const fetchLogged: FetchLike = (input, init) => {
    const headers = new Headers(init?.headers);
    requests?.push({ method: init?.method ?? 'GET', path: new URL(String(input)).pathname, authorized: headers.has('authorization') });
    return globalThis.fetch(input, init);
  };
  const client = await EnvelopeClient.open({ serverUrl: env.url, store: new MemoryStore(), WebSocket: wireTap().WebSocket, fetch: fetchLogged });
  clients.push(client);
  await client.register(name);
  const ready = client.whenReady(5_000);
  client.connect();
  await ready;
  return client;
}

let alice: EnvelopeClient;
let bob: EnvelopeClient;
let sealedId: MessageId;

beforeAll(async () => {
  env = await startInProcess();
  alice = await person('alice', aliceRequests);
  bob = await person('bob');
  await alice.setSealedSender(true);
  const received = new Promise<MessageId>((resolve) => bob.events.on('message', (entry) => entry.kind === 'text' && resolve(entry.id)));
  await alice.send('bob', SEALED_TEXT);
  sealedId = await received;
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await env.close();
});

describe('sealed sender', () => {
  it('the recipient reads it from the right sender, and knows it came sealed', async () => {
    const [entry] = await bob.messages();
    expect(entry).toMatchObject({ id: sealedId, kind: 'text', from: 'alice', fromDevice: 1, text: SEALED_TEXT, sealedSender: true });
    expect((await bob.conversation('alice')).map((e) => [e.direction, e.text])).toEqual([['received', SEALED_TEXT]]);
  });

  it('travels on a request with no token', () => {
    const posts = aliceRequests.filter((r) => r.path === '/api/sealed');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((r) => !r.authorized)).toBe(true);
    expect(aliceRequests.find((r) => r.path === '/api/sender-certificate')?.authorized).toBe(true);
  });

  it('leaves no sender in the metadata log, and none in what the operator sees', async () => {
    const db = new Database(env.server.databasePath, { readonly: true });
    try {
      const rows = db.prepare('SELECT sender, sender_device, recipient, kind FROM metadata_log WHERE message_id = ?').all(sealedId);
      expect(rows).toEqual([{ sender: null, sender_device: null, recipient: 'bob', kind: 'sealed' }]);
      // Nowhere in the log or the mailbox is alice tied to bob.
      expect(db.prepare("SELECT count(*) AS n FROM metadata_log WHERE sender = 'alice'").get()).toEqual({ n: 0 });
      expect(db.prepare("SELECT count(*) AS n FROM mailbox WHERE sender = 'alice'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    const { envelopes } = OperatorEnvelopesResponseSchema.parse((await getJson(`${env.url}/api/operator/envelopes`, env.server.operatorToken)).json);
    expect(envelopes.find((e) => e.messageId === sealedId)).toMatchObject({ sender: null, senderDevice: null, recipient: 'bob', kind: 'sealed' });
    const graph = (await getJson(`${env.url}/api/operator/graph`, env.server.operatorToken)).json;
    expect(JSON.stringify(graph)).not.toMatch(/"alice"[^}]*"bob"|"bob"[^}]*"alice"/);
  });

  it('the signals count it as unattributable', async () => {
    const { json } = await getJson(`${env.url}/api/operator/signals`, env.server.operatorToken);
    const stranger = SignalsResponseSchema.parse(json).detectors.find((d) => d.id === 'stranger-contacts')!;
    expect(stranger.unattributable).toBeGreaterThanOrEqual(1);
  });

  it('a report of it is filed with the text proved and the sender unverified', async () => {
    const filed = await bob.report(sealedId, 'threat');
    expect(filed).toMatchObject({ messageId: sealedId, sender: 'alice', senderVerified: false, duplicate: false });
  });

  it('that report never counts against the named sender in a warrant answer: it is listed as the reporter’s unverified claim', async () => {
    const { status, json } = await getJson(`${env.url}/api/operator/warrant/alice`, env.server.operatorToken);
    expect(status).toBe(200);
    const answer = WarrantAnswerSchema.parse(json);
    expect(answer.verifiedReports.reports.map((r) => r.messageId)).not.toContain(sealedId);
    expect(answer.verifiedReports.total).toBe(0);
    expect(answer.unverifiedClaims.total).toBe(1);
    expect(answer.unverifiedClaims.reports[0]).toMatchObject({ messageId: sealedId, sender: 'alice', reporter: 'bob', senderVerified: false, text: SEALED_TEXT });
  });

  it('switched off again, the next message names its sender as usual', async () => {
    await alice.setSealedSender(false);
    const received = new Promise<MessageId>((resolve) => bob.events.on('message', (entry) => entry.kind === 'text' && entry.text === 'plain again' && resolve(entry.id)));
    await alice.send('bob', 'plain again');
    const id = await received;
    const { envelopes } = OperatorEnvelopesResponseSchema.parse((await getJson(`${env.url}/api/operator/envelopes`, env.server.operatorToken)).json);
    expect(envelopes.find((e) => e.messageId === id)).toMatchObject({ sender: 'alice', recipient: 'bob' });
  });
});
