/**
 * Sealed sender end to end: real clients, real encryption, the real server in
 * process. With the setting on, the sender's envelope travels over a request
 * that carries no token, and nothing the server stores or answers names the
 * sender; the recipient still reads it, from the right person. A report of
 * such a message is filed with the sender unverified, and the signals count it
 * as unattributable.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeClient, type FetchLike, MemoryStore, readRecord, storeKeys as keys } from '@envelope/client-core';
// A test may read the client core's record kinds, which the package does not export.
import { ProfileKeyKind } from '../../shared/client/key-record-schemas.js';
import { deriveAccessKey } from '@envelope/crypto-public';
import { wireTap } from '@envelope/testkit/wire-tap.js';
import { type MessageId, OperatorEnvelopesResponseSchema, OperatorGraphResponseSchema, UNIDENTIFIED_ACCESS_HEADER, SignalsResponseSchema, WarrantAnswerSchema } from '@envelope/protocol';
import { getJson, PATIENCE_MS, startInProcess } from '@envelope/testkit/harness.js';

const SEALED_TEXT = 'sealed: the server must not know who wrote this';

let env: Awaited<ReturnType<typeof startInProcess>>;
const clients: EnvelopeClient[] = [];
/** Every request the sender's client made: method, path, and whether it carried a token. */
const aliceRequests: { method: string; path: string; authorized: boolean; accessKey: boolean }[] = [];

async function person(name: string, requests?: typeof aliceRequests): Promise<EnvelopeClient> {
  const fetchLogged: FetchLike = (input, init) => {
    const headers = new Headers(init?.headers);
    requests?.push({ method: init?.method ?? 'GET', path: new URL(String(input)).pathname, authorized: headers.has('authorization'), accessKey: headers.has(UNIDENTIFIED_ACCESS_HEADER) });
    return globalThis.fetch(input, init);
  };
  const client = await EnvelopeClient.open({ serverUrl: env.url, store: new MemoryStore(), WebSocket: wireTap().WebSocket, fetch: fetchLogged });
  clients.push(client);
  await client.register(name);
  const ready = client.whenReady(PATIENCE_MS);
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
  // Bob writes first: his message carries his profile key, without which alice cannot seal to him.
  const heard = new Promise<void>((resolve) => alice.events.on('message', (entry) => entry.kind === 'text' && resolve()));
  await bob.send('alice', 'hello alice');
  await heard;
  await alice.setSealedSender(true);
  const received = new Promise<MessageId>((resolve) => bob.events.on('message', (entry) => entry.kind === 'text' && resolve(entry.id)));
  const pending = await alice.enqueue('bob', SEALED_TEXT);
  expect(pending).toMatchObject({ sealed: true });
  expect(pending.unsealedBecause).toBeUndefined();
  await pending.stored;
  sealedId = await received;
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await env.close();
});

describe('sealed sender', () => {
  it('the recipient reads it from the right sender, and knows it came sealed', async () => {
    const entry = (await bob.messages()).find((e) => e.id === sealedId);
    expect(entry).toMatchObject({ id: sealedId, kind: 'text', from: 'alice', fromDevice: 1, text: SEALED_TEXT, sealedSender: true });
    expect((await bob.conversation('alice')).map((e) => [e.direction, e.text])).toEqual([
      ['sent', 'hello alice'],
      ['received', SEALED_TEXT],
    ]);
  });

  it('travels on a request with no token', () => {
    const posts = aliceRequests.filter((r) => r.path === '/api/sealed');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((r) => !r.authorized)).toBe(true);
    expect(posts.every((r) => r.accessKey)).toBe(true);
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
    // Bob's first message to alice went with his name (she held no key of his yet): the graph shows that edge, and no other.
    const graph = OperatorGraphResponseSchema.parse((await getJson(`${env.url}/api/operator/graph`, env.server.operatorToken)).json);
    expect(graph.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['bob>alice']);
    // Alice's sealed message, and Bob's receipt for it, sealed too (receipts.ts).
    expect(graph.unattributed).toBe(2);
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

  it("the sender's X-ray shows the sealed layer and finds the server's row without a token", async () => {
    const xray = (await alice.xray(sealedId))!;
    const [envelope] = xray.envelopes;
    expect(envelope!.sealed).toMatchObject({ certificate: { sender: 'alice', deviceId: 1 } });
    const before = aliceRequests.length;
    const row = await alice.storedEnvelope(sealedId);
    // Asked for as it was sent: no token, so the asking does not name the sender either.
    expect(aliceRequests.slice(before)).toEqual([{ method: 'GET', path: `/api/envelopes/${sealedId}/sealed`, authorized: false, accessKey: false }]);
    expect(row).toMatchObject({ id: sealedId, sender: null, recipient: 'bob', kind: 'sealed', size: envelope!.sealed!.layout.total });
    // The server keeps the digest of exactly the bytes the X-ray shows (and the bytes, until delivery).
    expect(row.ciphertextSha256).toBe(createHash('sha256').update(Buffer.from(envelope!.body, 'base64url')).digest('base64url'));
  });

  it("the recipient's X-ray shows the same layers and its own row of it", async () => {
    const xray = (await bob.xray(sealedId))!;
    expect(xray).toMatchObject({ direction: 'received', peer: 'alice', text: SEALED_TEXT });
    const sentSide = (await alice.xray(sealedId))!;
    expect(xray.envelopes[0]!.body).toBe(sentSide.envelopes[0]!.body);
    expect(xray.envelopes[0]!.sealed!.sessionMessage).toBe(sentSide.envelopes[0]!.sealed!.sessionMessage);
    expect(await bob.storedEnvelope(sealedId)).toMatchObject({ id: sealedId, sender: null, recipient: 'bob' });
  });

  it('the tokenless lookup answers only for sealed rows: an ordinary row would name its sender to whoever holds the id', async () => {
    await alice.setSealedSender(false);
    const received = new Promise<MessageId>((resolve) => bob.events.on('message', (entry) => entry.kind === 'text' && entry.text === 'named' && resolve(entry.id)));
    await alice.send('bob', 'named');
    const namedId = await received;
    await alice.setSealedSender(true);
    const lookup = (id: string, device = 1) => getJson(`${env.url}/api/envelopes/${id}/sealed?to=bob&toDevice=${device}`);
    expect((await lookup(namedId)).status).toBe(404);
    expect((await lookup(sealedId, 2)).status).toBe(404);
    expect((await lookup(sealedId)).json).toMatchObject({ envelope: { id: sealedId, sender: null } });
    expect((await getJson(`${env.url}/api/envelopes/${sealedId}/sealed?to=bob&toDevice=1&extra=1`)).status).toBe(404);
  });

  it('to someone who never wrote to us, it goes with our name, and says why', async () => {
    const carol = await person('carol');
    const received = new Promise<MessageId>((resolve) => carol.events.on('message', (entry) => entry.kind === 'text' && resolve(entry.id)));
    const pending = await alice.enqueue('carol', 'hello stranger');
    expect(pending).toMatchObject({ sealed: false, unsealedBecause: 'recipient-never-wrote' });
    await pending.stored;
    const id = await received;
    const { envelopes } = OperatorEnvelopesResponseSchema.parse((await getJson(`${env.url}/api/operator/envelopes`, env.server.operatorToken)).json);
    expect(envelopes.find((e) => e.messageId === id)).toMatchObject({ sender: 'alice', recipient: 'carol' });
    // Once carol replies, alice holds her profile key and can seal to her.
    const heard = new Promise<void>((resolve) => alice.events.on('message', (entry) => entry.kind === 'text' && entry.from === 'carol' && resolve()));
    await carol.send('alice', 'hi alice');
    await heard;
    const next = await alice.enqueue('carol', 'now sealed');
    expect(next).toMatchObject({ sealed: true });
    await next.stored;
  });

  it('an account made before access keys gets one uploaded when its client connects', async () => {
    const store = new MemoryStore();
    const first = await EnvelopeClient.open({ serverUrl: env.url, store, WebSocket: wireTap().WebSocket });
    await first.register('dave');
    await first.close();
    // As an account and a profile from before access keys: none on the server, no record of an upload.
    const accessKeyOf = () => {
      const db = new Database(env.server.databasePath);
      try {
        return db.prepare<[], Buffer | null>("SELECT unidentified_access_key FROM accounts WHERE username = 'dave'").pluck().get();
      } finally {
        db.close();
      }
    };
    const db = new Database(env.server.databasePath);
    db.prepare("UPDATE accounts SET unidentified_access_key = NULL WHERE username = 'dave'").run();
    db.close();
    await store.put({ [keys.accessKeyRegistered]: undefined });
    expect(accessKeyOf()).toBeNull();

    const again = await EnvelopeClient.open({ serverUrl: env.url, store, WebSocket: wireTap().WebSocket });
    clients.push(again);
    const ready = again.whenReady(PATIENCE_MS);
    again.connect();
    await ready;
    const profileKey = (await readRecord(store, ProfileKeyKind, keys.profileKey))!;
    expect(new Uint8Array(accessKeyOf()!)).toEqual(deriveAccessKey(profileKey));
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
