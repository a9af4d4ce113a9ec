/**
 * transport-only on the real server (in process, real SQLite file), with
 * envelopes built as a client builds them (testing.ts: the message JSON, the
 * transport payload, sealToServer) and raw protocol frames: the server opens
 * them, keeps the text in its content log in the same transaction as the
 * envelope, delivers the opened payload with `mode`, and shows the text to the
 * operator (content view, scanner) and in the warrant answer. Anything that
 * does not fit the mode is refused with BAD_TRANSPORT_ENVELOPE and nothing is
 * stored; an e2ee envelope is never opened, whatever the mode.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeSenderCertificate, fromBase64Url, issueSenderCertificate, randomBytes, toBase64Url, utf8Decode } from '@envelope/crypto-public';
import { ContentResponseSchema, decodeTransportPayload, ScannerRuleSchema, StoredEnvelopeResponseSchema, UNIDENTIFIED_ACCESS_HEADER, WarrantAnswerSchema } from '@envelope/protocol';
import { getJson, postJson, randomMessageId, RawSocket, register, startInProcess, type RegisteredDevice } from '@envelope/testkit/harness.js';
import { setPolicyMode, textMessageBytes, transportBody } from './testing.js';

type Env = Awaited<ReturnType<typeof startInProcess>>;
const running: Env[] = [];
afterEach(async () => {
  for (const env of running.splice(0)) await env.close();
});

const BOB_ACCESS_KEY = randomBytes(16);
const DAY_MS = 24 * 60 * 60 * 1000;

async function setUp(environment?: Parameters<typeof startInProcess>[2]) {
  const env = await startInProcess({}, {}, environment);
  running.push(env);
  const [alice, bob] = await Promise.all([register(env.url, 'alice'), register(env.url, 'bob', { accessKey: BOB_ACCESS_KEY })]);
  const [a, b] = await Promise.all([RawSocket.authenticated(env.url, alice), RawSocket.authenticated(env.url, bob)]);
  const { transportKey } = await setPolicyMode(env.url, env.server.operatorToken, 'transport-only');
  return { env, alice, bob, a, b, transportKey: transportKey! };
}

const count = (env: Env, table: string) => env.server.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
const operator = (env: Env, path: string) => getJson(`${env.url}${path}`, env.server.operatorToken);

async function sendFrame(socket: RawSocket, frame: Record<string, unknown>) {
  socket.send({ type: 'send', to: 'bob', toDevice: 1, ...frame });
  return socket.next((f) => (f.type === 'stored' || f.type === 'error') && f.id === frame.id);
}

function sealedPost(env: Env, body: Record<string, unknown>) {
  return fetch(`${env.url}/api/sealed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [UNIDENTIFIED_ACCESS_HEADER]: toBase64Url(BOB_ACCESS_KEY) },
    body: JSON.stringify({ to: 'bob', toDevice: 1, ...body }),
  });
}

async function certificateOf(env: Env, device: RegisteredDevice): Promise<Uint8Array> {
  const { status, json } = await getJson(`${env.url}/api/sender-certificate`, device.token);
  expect(status).toBe(200);
  return fromBase64Url(json.certificate, 'certificate');
}

describe('transport-only on the real server', () => {
  it('reads the text, keeps it with the envelope, delivers the opened payload with its mode, and shows it to the operator and in the warrant', async () => {
    const { env, alice, a, b, transportKey } = await setUp();
    const id = randomMessageId();
    const sealed = transportBody(transportKey, textMessageBytes('meet me at the old mill at six'));
    expect(await sendFrame(a, { id, body: sealed, mode: 'transport-only' })).toMatchObject({ type: 'stored', id });

    const delivered = await b.next((f) => f.type === 'message' && f.id === id);
    expect(delivered).toMatchObject({ from: 'alice', fromDevice: 1, mode: 'transport-only' });
    const payload = decodeTransportPayload(fromBase64Url((delivered as { body: string }).body, 'body'));
    expect(payload.certificate).toBeNull();
    expect(JSON.parse(utf8Decode(payload.message)).text).toBe('meet me at the old mill at six');

    // The stores: metadata and mailbox say the mode; the log keeps the size received (sealed), not the opened one.
    const logRow = env.server.db.prepare('SELECT seq, sender, mode, size FROM metadata_log WHERE message_id = ?').get(id) as { seq: number; sender: string; mode: string; size: number };
    expect(logRow).toMatchObject({ sender: 'alice', mode: 'transport-only', size: fromBase64Url(sealed, 'body').length });
    expect(env.server.db.prepare('SELECT mode FROM mailbox WHERE message_id = ?').pluck().get(id)).toBe('transport-only');
    // The X-ray's server row says so too, and holds the opened payload, not what was sent.
    const row = StoredEnvelopeResponseSchema.parse((await getJson(`${env.url}/api/envelopes/${id}`, alice.token)).json).envelope;
    expect(row.mode).toBe('transport-only');
    expect(row.ciphertext).toBe((delivered as { body: string }).body);

    const content = ContentResponseSchema.parse((await operator(env, '/api/operator/content')).json);
    expect(content.entries).toEqual([
      expect.objectContaining({ seq: logRow.seq, messageId: id, sender: 'alice', senderSource: 'signed-in', recipient: 'bob', mode: 'transport-only', kind: 'text', text: 'meet me at the old mill at six', matches: [] }),
    ]);
    expect(content.exposure).toEqual({ messages: 1, people: 2 });
    expect((await getJson(`${env.url}/api/policy`)).json.exposure).toEqual({ messages: 1, people: 2 });
    const envelopes = (await operator(env, '/api/operator/envelopes')).json.envelopes as { messageId: string; mode: string }[];
    expect(envelopes.find((e) => e.messageId === id)?.mode).toBe('transport-only');

    for (const [name, direction, peer] of [['alice', 'sent', 'bob'], ['bob', 'received', 'alice']] as const) {
      const answer = WarrantAnswerSchema.parse((await operator(env, `/api/operator/warrant/${name}`)).json);
      expect(answer.readableMessages).toEqual({
        total: 1,
        messages: [{ seq: logRow.seq, messageId: id, direction, peer, senderSource: 'signed-in', at: expect.any(Number), mode: 'transport-only', kind: 'text', text: 'meet me at the old mill at six' }],
      });
      expect(answer.timeline.events.find((e) => e.messageId === id)?.mode).toBe('transport-only');
    }
  });

  it('flags messages with the operator’s scanner rules, computed on read; refuses a bad pattern with a clear 400', async () => {
    const { env, a, transportKey } = await setUp();
    for (const text of ['The Package arrives Friday', 'he was packaged up', 'call 07700 900123 now']) {
      await sendFrame(a, { id: randomMessageId(), body: transportBody(transportKey, textMessageBytes(text)), mode: 'transport-only' });
    }
    const add = (rule: unknown) => postJson(`${env.url}/api/operator/scanner/rules`, rule, env.server.operatorToken);
    expect((await postJson(`${env.url}/api/operator/scanner/rules`, { kind: 'word', pattern: 'package' })).status).toBe(401);
    const word = await add({ kind: 'word', pattern: 'package', label: 'delivery talk' });
    expect(word.status).toBe(201);
    const phone = await add({ kind: 'pattern', pattern: '\\d{5} \\d{6}' });
    expect(ScannerRuleSchema.parse(phone.json)).toMatchObject({ kind: 'pattern', label: '\\d{5} \\d{6}' });

    const bad = await add({ kind: 'pattern', pattern: '([a-z' });
    expect([bad.status, bad.json.code]).toEqual([400, 'BAD_REQUEST']);
    expect(bad.json.detail).toMatch(/not a valid regular expression/);
    const explosive = await add({ kind: 'pattern', pattern: '(a+)+$' });
    expect([explosive.status, explosive.json.detail]).toEqual([400, expect.stringMatching(/repeats a repetition/)]);
    expect((await add({ kind: 'pattern', pattern: 'x'.repeat(201) })).status).toBe(400);

    const entries = ContentResponseSchema.parse((await operator(env, '/api/operator/content')).json).entries;
    expect(entries.map((e) => e.matches.map((m) => [m.label, m.matched]))).toEqual([[['delivery talk', 'Package']], [], [['\\d{5} \\d{6}', '07700 900123']]]);
    expect((await operator(env, '/api/operator/scanner/rules')).json.rules).toHaveLength(2);

    const removed = await fetch(`${env.url}/api/operator/scanner/rules/${word.json.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${env.server.operatorToken}` } });
    expect(removed.status).toBe(204);
    const again = await fetch(`${env.url}/api/operator/scanner/rules/${word.json.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${env.server.operatorToken}` } });
    expect(again.status).toBe(404);
    expect(ContentResponseSchema.parse((await operator(env, '/api/operator/content?after=0&limit=1')).json).entries[0]!.matches).toEqual([]);
    expect((await getJson(`${env.url}/api/operator/content`)).status).toBe(401);
  });

  it('refuses what does not fit the mode with BAD_TRANSPORT_ENVELOPE, on the socket and over HTTP, and stores nothing', async () => {
    const { env, alice, a, transportKey } = await setUp();
    const otherKey = toBase64Url(randomBytes(32));
    const certificate = await certificateOf(env, alice);
    const refusals: [string, string][] = [
      ['not sealed at all', toBase64Url(randomBytes(300))],
      ['sealed to another key', transportBody(otherKey, textMessageBytes('hello'))],
      ['a signed-in send with a certificate inside', transportBody(transportKey, textMessageBytes('hello'), certificate)],
    ];
    for (const [what, body] of refusals) {
      const id = randomMessageId();
      const answer = await sendFrame(a, { id, body, mode: 'transport-only' });
      expect(answer, what).toMatchObject({ type: 'error', code: 'BAD_TRANSPORT_ENVELOPE', id });
    }
    // Sealed sends: no certificate, a certificate this server did not sign, one that expired.
    const forged = encodeSenderCertificate(issueSenderCertificate(randomBytes(64), { sender: 'alice', deviceId: 1, identityKey: alice.keys.identity.publicKey, expiresAt: Date.now() + DAY_MS }));
    for (const [what, inside] of [['no certificate', null], ['a forged certificate', forged]] as const) {
      const response = await sealedPost(env, { id: randomMessageId(), body: transportBody(transportKey, textMessageBytes('hello'), inside), mode: 'transport-only' });
      expect(response.status, what).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect((await response.json()).code, what).toBe('BAD_TRANSPORT_ENVELOPE');
    }
    expect([count(env, 'metadata_log'), count(env, 'mailbox'), count(env, 'content_log')]).toEqual([0, 0, 0]);
    // The connection goes on: a good one is stored.
    expect(await sendFrame(a, { id: randomMessageId(), body: transportBody(transportKey, textMessageBytes('fine')), mode: 'transport-only' })).toMatchObject({ type: 'stored' });
    expect(count(env, 'content_log')).toBe(1);
  });

  it('reads a sealed send’s sender from its certificate, while the metadata log still names nobody', async () => {
    const { env, alice, b, transportKey } = await setUp();
    const id = randomMessageId();
    const response = await sealedPost(env, { id, body: transportBody(transportKey, textMessageBytes('no name on the envelope'), await certificateOf(env, alice)), mode: 'transport-only' });
    expect(response.status).toBe(201);
    const delivered = await b.next((f) => f.type === 'message' && f.id === id);
    expect(delivered).toMatchObject({ from: null, mode: 'transport-only' });
    expect(env.server.db.prepare('SELECT sender FROM metadata_log WHERE message_id = ?').pluck().get(id)).toBeNull();
    const [entry] = ContentResponseSchema.parse((await operator(env, '/api/operator/content')).json).entries;
    expect(entry).toMatchObject({ messageId: id, sender: 'alice', senderSource: 'certificate', text: 'no name on the envelope' });
    const answer = WarrantAnswerSchema.parse((await operator(env, '/api/operator/warrant/alice')).json);
    expect(answer.readableMessages.messages).toEqual([expect.objectContaining({ messageId: id, direction: 'sent', peer: 'bob', senderSource: 'certificate' })]);
  });

  it('stores an e2ee envelope sent after the switch (a queued one) as e2ee, never opened; a transport-only one after switching back still travels as transport-only', async () => {
    const { env, a, b, transportKey } = await setUp();
    const queued = randomMessageId();
    // Sealed to the transport key but claimed e2ee: the server must not open what its sender did not mark.
    const e2eeBody = transportBody(transportKey, textMessageBytes('written before the switch'));
    await sendFrame(a, { id: queued, body: e2eeBody });
    const delivered = await b.next((f) => f.type === 'message' && f.id === queued);
    expect(delivered).not.toHaveProperty('mode');
    expect((delivered as { body: string }).body).toBe(e2eeBody);
    expect(env.server.db.prepare('SELECT mode FROM metadata_log WHERE message_id = ?').pluck().get(queued)).toBe('e2ee');
    expect(count(env, 'content_log')).toBe(0);

    await setPolicyMode(env.url, env.server.operatorToken, 'e2ee');
    const late = randomMessageId();
    await sendFrame(a, { id: late, body: transportBody(transportKey, textMessageBytes('written before switching back')), mode: 'transport-only' });
    expect(await b.next((f) => f.type === 'message' && f.id === late)).toMatchObject({ mode: 'transport-only' });
    expect((await getJson(`${env.url}/api/policy`)).json).toMatchObject({ mode: 'e2ee', exposure: { messages: 1, people: 2 } });
  });

  it('forgets the text with the metadata log’s retention', async () => {
    let now = Date.now();
    const { env, a, transportKey } = await setUp({ networkInterfaces: () => ({}), clock: () => now });
    await sendFrame(a, { id: randomMessageId(), body: transportBody(transportKey, textMessageBytes('soon gone')), mode: 'transport-only' });
    expect(count(env, 'content_log')).toBe(1);
    now += (env.config.metadataRetentionDays + 1) * DAY_MS;
    env.server.housekeeping();
    expect([count(env, 'content_log'), count(env, 'metadata_log')]).toEqual([0, 0]);
    expect((await getJson(`${env.url}/api/policy`)).json.exposure).toEqual({ messages: 0, people: 0 });
  });
});
