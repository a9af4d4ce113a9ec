/**
 * The connection against the real server, in process, over real WebSockets.
 * wire-tap.ts forwards to the real sockets and only holds, adds or cuts
 * traffic, for the faults the server cannot produce on demand.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PATIENCE_MS, randomMessageId, RawSocket, register, type RegisteredDevice, startInProcess } from '@envelope/testkit/harness.js';
import { cryptoReady } from '@envelope/crypto-public';
import type { ServerFrame } from '@envelope/protocol';
import { logIn } from './auth.js';
import { Connection, FIRST_FRAME_TIMEOUT_MS, type ConnectionStatus } from './connection.js';
import type { SelfRecord } from './key-storage.js';
import { ServerApi } from './server-api.js';
import { webSocketUrl } from './websocket.js';
import { wireTap } from '@envelope/testkit/wire-tap.js';

type Server = Awaited<ReturnType<typeof startInProcess>>;
const BACKOFF = { initialMs: 200, maxMs: 1600, minMs: 10 };

const running = new Set<Server>();
const connections: Connection[] = [];

beforeAll(async () => {
  await cryptoReady();
});

afterEach(async () => {
  vi.useRealTimers();
  for (const connection of connections.splice(0)) connection.stop();
  await Promise.all([...running].map((server) => server.close()));
  running.clear();
});

async function startServer(overrides: Parameters<typeof startInProcess>[0] = {}): Promise<Server> {
  const server = await startInProcess(overrides);
  running.add(server);
  return server;
}

async function stopServer(server: Server): Promise<void> {
  running.delete(server);
  await server.close();
}

/** A real login with the device's identity key, as the client's TokenSource does it. */
function logInAs(url: string, device: RegisteredDevice): Promise<string> {
  const self = { username: device.username, deviceId: device.deviceId } as SelfRecord;
  return logIn(new ServerApi(url), self, device.keys.identity).then((granted) => granted.token);
}

function setup(url: string, device: RegisteredDevice, getToken?: (fresh: boolean) => Promise<string>) {
  const tap = wireTap();
  const frames: ServerFrame[] = [];
  const statuses: ConnectionStatus[] = [];
  const errors: { code: string; fatal: boolean }[] = [];
  const tokenCalls: boolean[] = [];
  const connection = new Connection({
    url: webSocketUrl(url),
    WebSocket: tap.WebSocket,
    getToken: (fresh) => {
      tokenCalls.push(fresh);
      return getToken ? getToken(fresh) : fresh ? logInAs(url, device) : Promise.resolve(device.token);
    },
    onFrame: (frame) => frames.push(frame),
    onStatus: (status) => statuses.push(status),
    onError: (error, fatal) => errors.push({ code: error.code, fatal }),
    backoff: BACKOFF,
    random: () => 0.5,
  });
  connections.push(connection);
  return { connection, tap, frames, statuses, errors, tokenCalls };
}

const online = (connection: Connection) => vi.waitFor(() => expect(connection.status).toBe('online'), { timeout: PATIENCE_MS });

describe('connection against the real server', () => {
  it('authenticates with the first frame and is online only once the backlog is delivered (ready)', async () => {
    const server = await startServer();
    const alice = await register(server.url, 'alice');
    const bob = await RawSocket.authenticated(server.url, await register(server.url, 'bob'));
    bob.send({ type: 'send', id: randomMessageId(), to: 'alice', toDevice: 1, body: 'AQID' });
    await bob.next((f) => f.type === 'stored');
    bob.close();

    const { connection, tap, frames, statuses } = setup(server.url, alice);
    tap.faults.holding = true;
    connection.start();
    await vi.waitFor(() => expect(tap.sockets[0]?.sent).toEqual([{ type: 'auth', token: alice.token }]));
    expect(tap.latest().url).toBe(`${server.url.replace('http', 'ws')}/api/ws`);
    tap.release();
    await online(connection);
    expect(statuses).toEqual(['connecting', 'online']);
    // The policy mode comes first (policy.ts), before the backlog it may have to be read under.
    expect(frames.map((f) => f.type)).toEqual(['policy', 'message', 'ready']);
  });

  it('writes frames only once the server has answered the auth frame', async () => {
    const server = await startServer();
    const alice = await register(server.url, 'alice');
    const { connection, tap } = setup(server.url, alice);
    tap.faults.holding = true; // the server's answer is slow to arrive
    connection.start();
    expect(connection.send({ type: 'ack', ids: [randomMessageId()] })).toBe(false);
    await vi.waitFor(() => expect(tap.latest().sentOfType('auth')).toHaveLength(1));
    expect(connection.send({ type: 'ack', ids: [randomMessageId()] })).toBe(false);
    tap.release();
    await online(connection);
    expect(connection.send({ type: 'ack', ids: [randomMessageId()] })).toBe(true);
    expect(tap.latest().sentOfType('ack')).toHaveLength(1);
  });

  it('refuses frames that do not match the protocol, and keeps going', async () => {
    const server = await startServer();
    const alice = await register(server.url, 'alice');
    const { connection, tap, frames, errors } = setup(server.url, alice);
    tap.faults.holding = true;
    connection.start();
    await vi.waitFor(() => expect(tap.latest().sentOfType('auth')).toHaveLength(1));
    // A network (or a server) that is not speaking the protocol, ahead of the real server's ready.
    const ready = { type: 'ready', username: 'alice', deviceId: 1, prekeys: { oneTimePreKeys: 50, kemPreKeys: 20, low: false } };
    for (const bad of ['not json', { type: 'stored', id: 'message-0001' }, { ...ready, extra: 1 }, { type: 'nope' }]) tap.latest().inject(bad);
    tap.release();
    await online(connection);
    expect(errors).toEqual(Array.from({ length: 4 }, () => ({ code: 'PROTOCOL_ERROR', fatal: false })));
    expect(frames.map((f) => f.type)).toEqual(['policy', 'ready']);
  });

  it('reconnects after a drop with growing, jittered delays, and resets them once online', async () => {
    let server = await startServer();
    const alice = await register(server.url, 'alice');
    const { config, url } = server;
    await stopServer(server); // the server is down: every attempt fails at once
    const { connection, tap, statuses } = setup(url, alice);
    connection.start();
    await vi.waitFor(() => expect(tap.sockets.length).toBeGreaterThanOrEqual(4), { timeout: PATIENCE_MS });
    expect(statuses).toContain('offline');
    // random() = 0.5: half of 200, of 400, of 800 (timers never fire early; allow 2 ms of rounding).
    const gaps = [1, 2, 3].map((i) => tap.sockets[i]!.createdAt - tap.sockets[i - 1]!.createdAt);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(100 * 2 ** i - 2));

    server = await startServer({ ...config, port: Number(new URL(url).port) });
    await vi.waitFor(() => expect(connection.status).toBe('online'), { timeout: PATIENCE_MS });
    const before = tap.sockets.length;
    const cutAt = Date.now();
    tap.latest().cut();
    await vi.waitFor(() => expect(tap.sockets.length).toBe(before + 1), { timeout: PATIENCE_MS });
    // Back to the first delay (100 ms), not the next in the series (800 ms).
    expect(tap.latest().createdAt - cutAt).toBeGreaterThanOrEqual(98);
    expect(tap.latest().createdAt - cutAt).toBeLessThan(600);
    await online(connection);
  });

  it('after a 4401 close (token refused) the next attempt logs in afresh', async () => {
    const server = await startServer();
    const alice = await register(server.url, 'alice');
    server.server.db.prepare('DELETE FROM auth_tokens').run(); // the server forgot every token
    const { connection, tap, tokenCalls } = setup(server.url, alice);
    connection.start();
    await online(connection);
    expect(tap.sockets[0]!.closeCode).toBe(4401);
    expect(tokenCalls).toEqual([false, true]);
    const [auth] = tap.latest().sent as { type: string; token: string }[];
    expect(auth!.type).toBe('auth');
    expect(auth!.token).not.toBe(alice.token);
  });

  it('keeps retrying while the server is unreachable, and stops for good when it refuses our key', async () => {
    let server = await startServer();
    const alice = await register(server.url, 'alice');
    const { config, url } = server;
    await stopServer(server);
    // Always a fresh login, so every attempt asks the server.
    const { connection, tap, errors } = setup(url, alice, () => logInAs(url, alice));
    connection.start();
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(3), { timeout: PATIENCE_MS });
    expect(errors.every((e) => e.code === 'SERVER_UNREACHABLE' && !e.fatal)).toBe(true);

    // Back, but the account was removed (as an operator would): the key is refused.
    server = await startServer({ ...config, port: Number(new URL(url).port) });
    const db = server.server.db;
    db.transaction(() => {
      for (const table of ['kem_prekeys', 'one_time_prekeys', 'signed_prekeys', 'auth_tokens', 'devices', 'accounts']) {
        db.prepare(`DELETE FROM ${table} WHERE username = ?`).run('alice');
      }
    })();
    await vi.waitFor(() => expect(errors.at(-1)).toEqual({ code: 'AUTH_FAILED', fatal: true }), { timeout: PATIENCE_MS });
    const count = errors.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(errors).toHaveLength(count);
    expect(tap.sockets).toHaveLength(0);
    expect(connection.status).toBe('offline');
  });

  it(`gives up on a socket that says nothing for ${FIRST_FRAME_TIMEOUT_MS / 1000} s, and tries again`, async () => {
    const server = await startServer();
    const alice = await register(server.url, 'alice');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const { connection, tap } = setup(server.url, alice);
    tap.faults.dropIncoming = () => true; // the socket opens, and then goes silent
    connection.start();
    await vi.waitFor(() => expect(tap.sockets[0]?.sentOfType('auth')).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(FIRST_FRAME_TIMEOUT_MS);
    expect(tap.sockets[0]!.readyState).toBeGreaterThanOrEqual(2); // CLOSING or CLOSED
    tap.faults.dropIncoming = null;
    await vi.advanceTimersByTimeAsync(BACKOFF.initialMs);
    expect(tap.sockets).toHaveLength(2);
    vi.useRealTimers();
    await online(connection);
  });

  it('stop() closes the socket and ends reconnecting', async () => {
    const server = await startServer();
    const alice = await register(server.url, 'alice');
    const { connection, tap, statuses } = setup(server.url, alice);
    connection.start();
    await online(connection);
    connection.stop();
    expect(tap.latest().readyState).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(tap.sockets).toHaveLength(1);
    expect(statuses.at(-1)).toBe('offline');
  });
});
