import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import {
  OperatorAccountsResponseSchema,
  OperatorEnvelopesResponseSchema,
  OperatorGraphResponseSchema,
  OperatorSchemaResponseSchema,
  OperatorTimelineResponseSchema,
} from '@envelope/protocol';
import { acksCommitted, getJson, randomMessageId, RawSocket, register, startInProcess, type RegisteredDevice } from '@envelope/testkit/harness.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
let alice: RegisteredDevice;
let bob: RegisteredDevice;
let carol: RegisteredDevice;
/** The scripted exchange: [from, to, body, id]. */
const sent: { from: RegisteredDevice; to: RegisteredDevice; body: string; id: string }[] = [];

/** An opaque body as a client sends it: first byte 0x01 (a ratchet message), then filler. */
const body = (marker: number, length: number) => toBase64Url(new Uint8Array(length).fill(marker).map((v, i) => (i === 0 ? 0x01 : v)));

beforeAll(async () => {
  env = await startInProcess();
  // One after another: the accounts list is in sign-up order, which registrations racing each other would not fix.
  alice = await register(env.url, 'alice');
  bob = await register(env.url, 'bob');
  carol = await register(env.url, 'carol');
  await register(env.url, 'dave'); // signed up, never wrote or received anything
  const script: [RegisteredDevice, RegisteredDevice, number][] = [
    [alice, bob, 100],
    [alice, bob, 200],
    [bob, alice, 300],
    [carol, bob, 400],
    [alice, carol, 500],
  ];
  const sockets = new Map<string, RawSocket>();
  for (const device of [alice, bob, carol]) sockets.set(device.username, await RawSocket.authenticated(env.url, device));
  for (const [from, to, length] of script) {
    const item = { from, to, body: body(length % 251, length), id: randomMessageId() };
    sent.push(item);
    sockets.get(from.username)!.send({ type: 'send', id: item.id, to: to.username, toDevice: 1, body: item.body });
    await sockets.get(from.username)!.next((f) => f.type === 'stored' && f.id === item.id);
  }
  // Bob reads (and acknowledges) the first message only.
  const first = await sockets.get('bob')!.next((f) => f.type === 'message' && f.id === sent[0]!.id);
  const acked = acksCommitted(env.server, [sent[0]!.id]);
  sockets.get('bob')!.send({ type: 'ack', ids: [(first as { id: string }).id] });
  await acked;
  for (const socket of sockets.values()) socket.close();
});
afterAll(() => env.close());

const operator = (path: string) => getJson(`${env.url}/api/operator/${path}`, env.server.operatorToken);

describe('operator API', () => {
  it('refuses every endpoint without the operator token, or with a device token', async () => {
    for (const path of ['envelopes', 'stream', 'accounts', 'graph', 'timeline/alice', 'schema']) {
      expect((await getJson(`${env.url}/api/operator/${path}`)).status, path).toBe(401);
      expect((await getJson(`${env.url}/api/operator/${path}`, alice.token)).status, path).toBe(401);
    }
  });

  it('lists envelopes newest first, with seq, what is still stored and its first 24 bytes', async () => {
    const { status, json } = await operator('envelopes');
    expect(status).toBe(200);
    const { envelopes } = OperatorEnvelopesResponseSchema.parse(json);
    expect(envelopes.map((e) => e.messageId)).toEqual(sent.map((s) => s.id).reverse());
    const seqs = envelopes.map((e) => e.seq);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
    for (const e of envelopes) {
      const item = sent.find((s) => s.id === e.messageId)!;
      expect([e.sender, e.recipient, e.size, e.kind]).toEqual([item.from.username, item.to.username, Buffer.from(item.body, 'base64url').length, 'message']);
      if (e.messageId === sent[0]!.id) {
        expect([e.stillStored, e.ciphertextPreview]).toEqual([false, null]);
      } else {
        expect(e.stillStored).toBe(true);
        expect(Buffer.from(e.ciphertextPreview!, 'base64url')).toEqual(Buffer.from(item.body, 'base64url').subarray(0, 24));
      }
    }
  });

  it('pages with limit and before', async () => {
    const all = OperatorEnvelopesResponseSchema.parse((await operator('envelopes')).json).envelopes;
    const first = OperatorEnvelopesResponseSchema.parse((await operator('envelopes?limit=2')).json).envelopes;
    expect(first).toEqual(all.slice(0, 2));
    const next = OperatorEnvelopesResponseSchema.parse((await operator(`envelopes?limit=2&before=${first[1]!.seq}`)).json).envelopes;
    expect(next).toEqual(all.slice(2, 4));
  });

  it('lists accounts with their devices and public identity keys', async () => {
    const { accounts } = OperatorAccountsResponseSchema.parse((await operator('accounts')).json);
    expect(accounts.map((a) => a.username)).toEqual(['alice', 'bob', 'carol', 'dave']);
    const a = accounts[0]!;
    expect(a.devices).toHaveLength(1);
    expect(a.devices[0]!.deviceId).toBe(1);
    expect(a.devices[0]!.identityKey).toBe(toBase64Url(alice.keys.identity.publicKey));
  });

  it('draws the graph from metadata alone: nodes with counts, edges with volumes', async () => {
    const graph = OperatorGraphResponseSchema.parse((await operator('graph')).json);
    const node = (name: string) => graph.nodes.find((n) => n.username === name)!;
    expect([node('alice').sent, node('alice').received]).toEqual([3, 1]);
    expect([node('bob').sent, node('bob').received]).toEqual([1, 3]);
    expect([node('carol').sent, node('carol').received]).toEqual([1, 1]);
    expect([node('dave').sent, node('dave').received]).toEqual([0, 0]);
    const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to);
    expect(edge('alice', 'bob')).toMatchObject({ envelopes: 2, bytes: 300 });
    expect(edge('bob', 'alice')).toMatchObject({ envelopes: 1, bytes: 300 });
    expect(edge('bob', 'carol')).toBeUndefined();
    expect(graph.edges).toHaveLength(4);
    expect(graph.edges[0]).toMatchObject({ from: 'alice', to: 'bob' }); // the busiest first
    expect(graph.unattributed).toBe(0);
  });

  it("shows one account's timeline, newest first, and 404s an unknown account", async () => {
    const timeline = OperatorTimelineResponseSchema.parse((await operator('timeline/bob')).json);
    expect(timeline.account.username).toBe('bob');
    expect(timeline.events.map((e) => [e.direction, e.peer])).toEqual([
      ['received', 'carol'],
      ['sent', 'alice'],
      ['received', 'alice'],
      ['received', 'alice'],
    ]);
    expect(OperatorTimelineResponseSchema.parse((await operator('timeline/bob?limit=1')).json).events).toHaveLength(1);
    const unknown = await operator('timeline/nobody');
    expect([unknown.status, unknown.json.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('describes the new metadata-log columns', async () => {
    const { tables } = OperatorSchemaResponseSchema.parse((await operator('schema')).json);
    const log = tables.find((t) => t.name === 'metadata_log')!;
    const described = Object.fromEntries(log.columns.map((c) => [c.name, c.description]));
    expect(described.ciphertext_sha256).toMatch(/SHA-256/);
    expect(described.delivered_at).toMatch(/confirmed/);
  });
});
