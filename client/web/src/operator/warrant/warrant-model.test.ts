/**
 * The warrant section's view model against the real server (in process, real
 * SQLite): it asks only with a token and an account, shows the server's answer
 * parsed by the shared schema, says plainly when the account or the token is
 * wrong, and exports the answer it shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { randomMessageId, RawSocket, register, startInProcess } from '@envelope/testkit/harness.js';
import { WarrantModel } from './warrant-model.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
let body: string;

beforeAll(async () => {
  env = await startInProcess();
  const alice = await register(env.url, 'alice');
  await register(env.url, 'bob');
  const socket = await RawSocket.authenticated(env.url, alice);
  const id = randomMessageId();
  body = toBase64Url(new Uint8Array(120).fill(7).map((v, i) => (i === 0 ? 1 : v)));
  socket.send({ type: 'send', id, to: 'bob', toDevice: 1, body });
  await socket.next((f) => f.type === 'stored' && f.id === id);
  socket.close();
});
afterAll(() => env.close());

function modelWith(token: string | null): WarrantModel {
  const model = new WarrantModel({ baseUrl: env.url });
  model.useToken(token);
  return model;
}

describe('the warrant view model', () => {
  it('asks for nothing without an account or a token', async () => {
    const model = modelWith(env.server.operatorToken);
    await model.request();
    expect(model.snapshot.request.status).toBe('idle');
    const locked = modelWith(null);
    locked.select('alice');
    await locked.request();
    expect(locked.snapshot.request.status).toBe('idle');
    expect(locked.exportDocument()).toBeNull();
  });

  it('shows the server’s answer for the picked account and exports that answer', async () => {
    const model = modelWith(env.server.operatorToken);
    model.select('alice');
    const pending = model.request();
    expect(model.snapshot.request).toEqual({ status: 'loading', username: 'alice' });
    await pending;
    const { request } = model.snapshot;
    if (request.status !== 'ready') throw new Error(`not ready: ${JSON.stringify(request)}`);
    expect(request.answer.account).toBe('alice');
    expect(request.answer.sentStillWaiting.envelopes.map((e) => [e.recipient, e.ciphertext])).toEqual([['bob', body]]);
    const exported = model.exportDocument()!;
    expect(exported.fileName).toMatch(/^warrant-answer-alice-\d{4}-\d{2}-\d{2}\.html$/);
    expect(exported.html).toContain(body);
    expect(exported.html).toContain('What the server could not provide');
  });

  it('says so when the server has no such account, or refuses the token', async () => {
    const model = modelWith(env.server.operatorToken);
    model.select('nobody');
    await model.request();
    expect(model.snapshot.request).toEqual({ status: 'failed', username: 'nobody', message: 'The server has no account called “nobody”.' });
    const refused = modelWith('not-the-operator-token');
    refused.select('alice');
    await refused.request();
    expect(refused.snapshot.request).toMatchObject({ status: 'failed', message: expect.stringContaining('refused') });
  });

  it('drops what an old token fetched when the token changes', async () => {
    const model = modelWith(env.server.operatorToken);
    model.select('alice');
    await model.request();
    expect(model.snapshot.request.status).toBe('ready');
    model.useToken(null);
    expect(model.snapshot).toEqual({ selected: null, request: { status: 'idle' } });
  });
});
