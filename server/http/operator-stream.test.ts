import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { DEFAULT_RELAY_OPTIONS } from '../domain/relay-types.js';
import { MAX_STREAM_BACKFILL, OPERATOR_STREAM_EVENTS, OperatorAckSchema, OperatorEnvelopeSchema, OperatorSkippedSchema } from '@envelope/protocol';
import { randomMessageId, RawSocket, register, startInProcess, StreamReader, type RegisteredDevice } from '@envelope/testkit/harness.js';
import { SseChannel } from './operator-stream.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
let alice: RegisteredDevice;
let bob: RegisteredDevice;

const body = (length = 300) => toBase64Url(new Uint8Array(length).map((_, i) => (i === 0 ? 0x02 : i % 251)));

beforeAll(async () => {
  env = await startInProcess({
    // Fast enough to fill a backfill in a test; pings often enough to see one.
    relay: { ...DEFAULT_RELAY_OPTIONS, sendLimit: { perSecond: 100_000, burst: 100_000 } },
    operatorStream: { pingMs: 20, maxBufferedBytes: 1 << 20 },
  });
  [alice, bob] = await Promise.all([register(env.url, 'alice'), register(env.url, 'bob')]);
});
afterAll(() => env.close());

/** Every event's data must parse with the schema named for its type. */
function parsed(event: { type: string; data: string }) {
  const schema = OPERATOR_STREAM_EVENTS[event.type as keyof typeof OPERATOR_STREAM_EVENTS];
  expect(schema, event.type).toBeDefined();
  return schema.parse(JSON.parse(event.data));
}

async function sendAll(from: RegisteredDevice, to: string, count: number): Promise<string[]> {
  const socket = await RawSocket.authenticated(env.url, from);
  const ids = Array.from({ length: count }, () => randomMessageId());
  for (const id of ids) socket.send({ type: 'send', id, to, toDevice: 1, body: body() });
  for (const id of ids) await socket.next((f) => f.type === 'stored' && f.id === id);
  socket.close();
  return ids;
}

describe('operator stream', () => {
  it('refuses without the token', async () => {
    const stream = await StreamReader.open(env.url, undefined);
    expect(stream.response.status).toBe(401);
    expect((await StreamReader.open(env.url, alice.token)).response.status).toBe(401);
  });

  it('sends an envelope event once a real send is committed, and an acked event after the ack', async () => {
    const stream = await StreamReader.open(env.url, env.server.operatorToken);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const a = await RawSocket.authenticated(env.url, alice);
    const b = await RawSocket.authenticated(env.url, bob);
    const id = randomMessageId();
    const sentBody = body();
    a.send({ type: 'send', id, to: 'bob', toDevice: 1, body: sentBody });
    const event = await stream.next((e) => e.type === 'envelope', 'the envelope event');
    const envelope = OperatorEnvelopeSchema.parse(JSON.parse(event.data));
    expect(envelope).toMatchObject({ messageId: id, sender: 'alice', recipient: 'bob', recipientDevice: 1, size: 300, kind: 'session-start', stillStored: true });
    expect(Buffer.from(envelope.ciphertextPreview!, 'base64url')).toEqual(Buffer.from(sentBody, 'base64url').subarray(0, 24));
    expect(event.id).toBe(String(envelope.seq));
    // The same row the operator's listing shows.
    const row = env.server.db.prepare('SELECT seq FROM metadata_log WHERE message_id = ?').get(id) as { seq: number };
    expect(envelope.seq).toBe(row.seq);

    await b.next((f) => f.type === 'message' && f.id === id);
    b.send({ type: 'ack', ids: [id] });
    const acked = OperatorAckSchema.parse(JSON.parse((await stream.next((e) => e.type === 'acked', 'the acked event')).data));
    expect(acked).toEqual({ messageId: id, recipient: 'bob', recipientDevice: 1 });
    // Nothing the stream said falls outside the protocol.
    for (const e of stream.events) parsed(e);
    a.close();
    b.close();
    stream.close();
  });

  it('pings while idle', async () => {
    const stream = await StreamReader.open(env.url, env.server.operatorToken);
    await stream.until(() => stream.comments >= 3, 'pings'); // "connected", then pings
    stream.close();
  });

  it('resumes with after=: sends what came since, in order, then goes live', async () => {
    const before = await sendAll(alice, 'bob', 1);
    const lastSeq = (env.server.db.prepare('SELECT seq FROM metadata_log WHERE message_id = ?').get(before[0]) as { seq: number }).seq;
    const missed = await sendAll(alice, 'bob', 3);
    const stream = await StreamReader.open(env.url, env.server.operatorToken, `?after=${lastSeq}`);
    await stream.next((e) => e.type === 'policy', 'the mode, first');
    await stream.until(() => stream.events.length >= 3, 'the backfill');
    expect(stream.events.map((e) => OperatorEnvelopeSchema.parse(JSON.parse(e.data)).messageId)).toEqual(missed);
    const live = await sendAll(bob, 'alice', 1);
    const next = await stream.next((e) => e.type === 'envelope' && JSON.parse(e.data).messageId === live[0], 'the live envelope');
    expect(JSON.parse(next.data).sender).toBe('bob');
    stream.close();
  });

  it(`backfills at most ${MAX_STREAM_BACKFILL} envelopes and counts the rest in a skipped event`, async () => {
    const start = (env.server.db.prepare('SELECT max(seq) AS seq FROM metadata_log').get() as { seq: number }).seq;
    const ids = await sendAll(alice, 'bob', MAX_STREAM_BACKFILL + 7);
    const stream = await StreamReader.open(env.url, env.server.operatorToken, `?after=${start}`);
    await stream.next((e) => e.type === 'policy', 'the mode, first');
    await stream.until(() => stream.events.length >= MAX_STREAM_BACKFILL + 1, 'the backfill');
    expect(stream.events[0]!.type).toBe('skipped');
    expect(OperatorSkippedSchema.parse(JSON.parse(stream.events[0]!.data))).toEqual({ count: 7 });
    expect(stream.events.slice(1).map((e) => JSON.parse(e.data).messageId)).toEqual(ids.slice(7));
    stream.close();
  });
});

describe('a stream channel', () => {
  it('disconnects a reader that stops reading instead of buffering without bound', () => {
    let destroyed = false;
    // A reader that never takes anything: every write after the first stays buffered.
    const stuck = new Writable({ highWaterMark: 16, write: () => {} });
    const out = { write: (text: string) => stuck.write(text), get writableLength() { return stuck.writableLength; }, destroy: () => { destroyed = true; } };
    const channel = new SseChannel(out, 10_000);
    let sent = 0;
    while (channel.isOpen && sent < 10_000) {
      channel.event('acked', { messageId: 'm'.repeat(20), recipient: 'bob', recipientDevice: 1 });
      sent++;
    }
    expect(destroyed).toBe(true);
    expect(stuck.writableLength).toBeLessThan(10_000 + 200);
    expect(sent).toBeLessThan(200);
  });

  it('writes events a standard parser reads back', () => {
    let text = '';
    const channel = new SseChannel({ write: (t) => ((text += t), true), writableLength: 0, destroy: () => {} }, 1000);
    channel.event('skipped', { count: 2 }, 17);
    channel.comment('ping');
    expect(text).toBe('event: skipped\nid: 17\ndata: {"count":2}\n\n: ping\n\n');
  });
});
