/**
 * The agency's queue is its own copy: when the content log's retention
 * deletes the original (housekeeping, past METADATA_RETENTION_DAYS), the
 * retained past is gone but the queue still holds what was copied. A real
 * server in-process with a clock the test moves forward.
 */
import { afterAll, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, utf8Encode } from '@envelope/crypto-public';
import { sealToServer } from '@envelope/crypto';
import { encodeTransportPayload, InterceptQueueSchema, RetrospectiveSchema } from '@envelope/protocol';
import { getJson, postJson, randomMessageId, RawSocket, register, startInProcess } from '@envelope/testkit/harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;
let now = Date.now();
const env = await startInProcess({}, { POLICY_MODE: 'transport-only', METADATA_RETENTION_DAYS: '30' }, { networkInterfaces: () => ({}), clock: () => now });
afterAll(() => env.close());

it('keeps the agency’s copy after the content log’s retention deletes the original', async () => {
  const transportKey = fromBase64Url((await getJson(`${env.url}/api/policy`)).json.transportKey, 'transportKey', 32);
  const alice = await register(env.url, 'alice');
  await register(env.url, 'bob');
  const token = env.server.agencyToken;
  const warrant = await postJson(`${env.url}/api/agency/warrants`, { target: 'bob', reference: 'order 5' }, token);
  expect(warrant.status).toBe(201);

  const socket = await RawSocket.authenticated(env.url, alice);
  const message = utf8Encode(JSON.stringify({ v: 1, kind: 'text', text: 'kept by the agency', sentAt: now, fk: toBase64Url(new Uint8Array(32)) }));
  const id = randomMessageId();
  socket.send({ type: 'send', id, to: 'bob', toDevice: 1, mode: 'transport-only', body: toBase64Url(sealToServer(transportKey, encodeTransportPayload({ certificate: null, message }))) });
  await socket.next((f) => f.type === 'stored' && f.id === id);
  socket.close();

  const past = () => getJson(`${env.url}/api/agency/retrospective/bob`, token).then((r) => RetrospectiveSchema.parse(r.json));
  const queue = () => getJson(`${env.url}/api/agency/warrants/${warrant.json.id}/queue`, token).then((r) => InterceptQueueSchema.parse(r.json));
  expect((await past()).total).toBe(1);

  now += 31 * DAY_MS;
  env.server.housekeeping();

  expect((await past()).total).toBe(0);
  expect((await queue()).messages.map((m) => m.text)).toEqual(['kept by the agency']);
});
