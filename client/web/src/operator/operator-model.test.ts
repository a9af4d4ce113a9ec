/**
 * The operator page's view model against the real server (in process, real
 * SQLite in a temp dir): real devices send envelopes through the relay, and
 * the model must show them as the server reports them — first page, live
 * stream, acks, graph and timeline — and nothing without a valid token.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { randomMessageId, RawSocket, register, startInProcess, tempDataDir, type RegisteredDevice } from '@envelope/testkit/harness.js';
import { OperatorModel, type OperatorSnapshot } from './operator-model.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
let alice: RegisteredDevice;
let bob: RegisteredDevice;
let carol: RegisteredDevice;
const models: OperatorModel[] = [];
const sockets: RawSocket[] = [];

beforeAll(async () => {
  env = await startInProcess();
  alice = await register(env.url, 'alice');
  bob = await register(env.url, 'bob');
  carol = await register(env.url, 'carol');
});
afterEach(() => {
  models.splice(0).forEach((model) => model.close());
  sockets.splice(0).forEach((socket) => socket.close());
});
afterAll(() => env.close());

function newModel(): OperatorModel {
  const model = new OperatorModel({ baseUrl: env.url });
  models.push(model);
  return model;
}

/** Resolves once the model's snapshot satisfies `predicate` (the test timeout bounds the wait). */
function until(model: OperatorModel, predicate: (snapshot: OperatorSnapshot) => boolean): Promise<OperatorSnapshot> {
  return new Promise((resolve) => {
    const check = () => {
      if (!predicate(model.snapshot)) return false;
      unsubscribe();
      resolve(model.snapshot);
      return true;
    };
    const unsubscribe = model.state.subscribe(check);
    check();
  });
}

async function socketFor(device: RegisteredDevice): Promise<RawSocket> {
  const socket = await RawSocket.authenticated(env.url, device);
  sockets.push(socket);
  return socket;
}

/** An opaque envelope as a client sends it: the relay reads only the first byte (1: a message in a running session). */
const body = (length = 300) => toBase64Url(new Uint8Array(length).map((_, i) => (i === 0 ? 0x01 : (i * 37) & 0xff)));

async function send(from: RawSocket, to: RegisteredDevice): Promise<string> {
  const id = randomMessageId();
  from.send({ type: 'send', id, to: to.username, toDevice: to.deviceId, body: body() });
  await from.next((frame) => frame.type === 'stored' && frame.id === id);
  return id;
}

describe('the operator view model', () => {
  it('shows nothing and says why when the token is wrong or not a token', async () => {
    const model = newModel();
    await model.open('a-wrong-token-of-the-right-shape');
    expect(model.snapshot.access).toEqual({ kind: 'needs-token', problem: 'refused' });
    await model.open('http://127.0.0.1:1/operator#token=');
    expect(model.snapshot.access).toEqual({ kind: 'needs-token', problem: 'not-a-token' });
    expect(model.snapshot.feed.rows).toEqual([]);
    expect(model.snapshot.stored).toBeNull();
    expect(model.snapshot.graph.nodes).toEqual([]);
  });

  it('opens with the whole start-up link, lists every stored field, and shows envelopes sent before and after', async () => {
    const a = await socketFor(alice);
    const before = await send(a, bob);
    const model = newModel();
    await model.open(`${env.url}/operator#token=${env.server.operatorToken}`);
    expect(model.snapshot.access.kind).toBe('open');
    const tables = model.snapshot.stored!.tables.map((table) => table.name);
    expect(tables).toEqual(expect.arrayContaining(['accounts', 'mailbox', 'metadata_log']));

    const live = await until(model, (s) => s.connection.kind === 'live' && s.feed.rows.some((row) => row.messageId === before));
    expect(live.feed.rows.find((row) => row.messageId === before)).toMatchObject({ sender: 'alice', recipient: 'bob', stillStored: true, size: 300 });

    const after = await send(a, carol);
    const seen = await until(model, (s) => s.feed.rows[0]?.messageId === after);
    const row = seen.feed.rows[0]!;
    expect(row).toMatchObject({ sender: 'alice', recipient: 'carol', stillStored: true });
    // The preview is the ciphertext's first bytes, exactly as sent.
    expect(body().startsWith(row.ciphertextPreview!)).toBe(true);
    // Each envelope once, newest first.
    const seqs = seen.feed.rows.map((r) => r.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((x, y) => y - x)).toEqual(seqs);
  });

  it('marks an envelope deleted when the recipient confirms it', async () => {
    const a = await socketFor(alice);
    const model = newModel();
    await model.open(env.server.operatorToken);
    await until(model, (s) => s.connection.kind === 'live');
    const id = await send(a, bob);
    await until(model, (s) => s.feed.rows.some((row) => row.messageId === id && row.stillStored));
    const b = await socketFor(bob);
    b.send({ type: 'ack', ids: [id] });
    const acked = await until(model, (s) => s.feed.rows.some((row) => row.messageId === id && !row.stillStored));
    expect(acked.feed.rows.find((row) => row.messageId === id)!.ciphertextPreview).toBeNull();
  });

  it('keeps the who-talks-to-whom graph current, counting each envelope once', async () => {
    const model = newModel();
    await model.open(env.server.operatorToken);
    const start = await until(model, (s) => s.connection.kind === 'live');
    const edge = (s: OperatorSnapshot, from: string, to: string) => s.graph.edges.find((e) => e.from === from && e.to === to)?.envelopes ?? 0;
    const bobToCarol = edge(start, 'bob', 'carol');
    const b = await socketFor(bob);
    await send(b, carol);
    await send(b, carol);
    const lastSeq = (await until(model, (s) => s.feed.rows.filter((row) => row.sender === 'bob' && row.recipient === 'carol').length >= 2)).feed.lastSeq;
    // Once the server's own graph has caught up with the stream, the two envelopes count exactly twice.
    const settled = await until(model, (s) => s.feed.lastSeq === lastSeq && edge(s, 'bob', 'carol') >= bobToCarol + 2);
    expect(edge(settled, 'bob', 'carol')).toBe(bobToCarol + 2);
    expect(settled.picture.people.map((p) => p.username).sort()).toEqual(['alice', 'bob', 'carol']);
    expect(settled.picture.lines.some((line) => line.pair.a === 'bob' && line.pair.b === 'carol')).toBe(true);
  });

  it('shows a person’s timeline, grows it live, and reports an unknown person', async () => {
    const model = newModel();
    await model.open(env.server.operatorToken);
    await until(model, (s) => s.connection.kind === 'live');
    await model.selectPerson('carol');
    const loaded = await until(model, (s) => s.timeline?.status === 'ready');
    if (loaded.timeline?.status !== 'ready') throw new Error('unreachable');
    const count = loaded.timeline.view.events.length;
    expect(loaded.timeline.view.account.username).toBe('carol');
    expect(loaded.timeline.view.events.every((e) => e.direction === 'received')).toBe(true);

    const c = await socketFor(carol);
    const id = await send(c, alice);
    const grown = await until(model, (s) => s.timeline?.status === 'ready' && s.timeline.view.events.some((e) => e.messageId === id));
    if (grown.timeline?.status !== 'ready') throw new Error('unreachable');
    expect(grown.timeline.view.events).toHaveLength(count + 1);
    expect(grown.timeline.view.events[0]).toMatchObject({ direction: 'sent', peer: 'alice', messageId: id });
    expect(grown.timeline.view.bursts[0]).toMatchObject({ direction: 'sent', peer: 'alice', envelopes: 1 });

    await model.selectPerson('nobody');
    expect(model.snapshot.timeline).toMatchObject({ username: 'nobody', status: 'failed' });
  });

  it('reconnects after the server restarts and resumes after the last envelope shown, showing each once', async () => {
    const dataDir = tempDataDir();
    let server = await startInProcess({}, { DATA_DIR: dataDir });
    const port = new URL(server.url).port;
    const dave = await register(server.url, 'dave');
    const erin = await register(server.url, 'erin');
    const model = new OperatorModel({ baseUrl: server.url });
    models.push(model);
    await model.open(server.server.operatorToken);
    await until(model, (s) => s.connection.kind === 'live');
    const first = await RawSocket.authenticated(server.url, dave);
    const one = await send(first, erin);
    await until(model, (s) => s.feed.rows.some((row) => row.messageId === one));
    first.close();

    await server.close();
    await until(model, (s) => s.connection.kind === 'waiting');
    server = await startInProcess({}, { DATA_DIR: dataDir, PORT: port });
    try {
      const again = await RawSocket.authenticated(server.url, dave);
      const two = await send(again, erin);
      again.close();
      const back = await until(model, (s) => s.connection.kind === 'live' && s.feed.rows.some((row) => row.messageId === two));
      expect(back.feed.rows.map((row) => row.messageId)).toEqual([two, one]);
    } finally {
      await server.close();
    }
  });

  it('goes back to asking for a token, and drops what it showed, when a restarted server no longer accepts it', async () => {
    const dataDir = tempDataDir();
    let server = await startInProcess({}, { DATA_DIR: dataDir, OPERATOR_TOKEN: 'the-first-operator-token' });
    const port = new URL(server.url).port;
    const model = new OperatorModel({ baseUrl: server.url });
    models.push(model);
    await model.open('the-first-operator-token');
    await until(model, (s) => s.connection.kind === 'live');
    await server.close();
    server = await startInProcess({}, { DATA_DIR: dataDir, PORT: port, OPERATOR_TOKEN: 'a-new-operator-token' });
    try {
      const locked = await until(model, (s) => s.access.kind === 'needs-token');
      expect(locked.access).toEqual({ kind: 'needs-token', problem: 'refused' });
      expect(locked.stored).toBeNull();
      expect(locked.connection.kind).toBe('stopped');
    } finally {
      await server.close();
    }
  });
});
