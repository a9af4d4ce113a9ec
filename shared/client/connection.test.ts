import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '../protocol/ws.js';
import { Connection, FIRST_FRAME_TIMEOUT_MS, type ConnectionStatus } from './connection.js';
import { ClientError } from './errors.js';
import { fakeWebSocketFactory } from './fake-websocket.js';

const READY = { type: 'ready', username: 'alice', deviceId: 1, prekeys: { oneTimePreKeys: 50, kemPreKeys: 20, low: false } };
const BACKOFF = { initialMs: 1000, maxMs: 8000, minMs: 10 };

function setup(getToken: (fresh: boolean) => Promise<string> = async (fresh) => (fresh ? 'fresh-token-0123456789' : 'cached-token-0123456789')) {
  const sockets = fakeWebSocketFactory();
  const frames: ServerFrame[] = [];
  const statuses: ConnectionStatus[] = [];
  const errors: { code: string; fatal: boolean }[] = [];
  const tokenCalls: boolean[] = [];
  const connection = new Connection({
    url: 'ws://server.test/api/ws',
    WebSocket: sockets.WebSocket,
    getToken: (fresh) => {
      tokenCalls.push(fresh);
      return getToken(fresh);
    },
    onFrame: (frame) => frames.push(frame),
    onStatus: (status) => statuses.push(status),
    onError: (error, fatal) => errors.push({ code: error.code, fatal }),
    backoff: BACKOFF,
    random: () => 0.5,
  });
  return { connection, sockets, frames, statuses, errors, tokenCalls };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('connection', () => {
  it('authenticates with the first frame and is online only once the backlog is delivered (ready)', async () => {
    const { connection, sockets, frames, statuses } = setup();
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = sockets.latest();
    expect(socket.url).toBe('ws://server.test/api/ws');
    socket.open();
    expect(socket.sent).toEqual([{ type: 'auth', token: 'cached-token-0123456789' }]);
    socket.push({ type: 'message', id: 'message-0001', from: 'bob', fromDevice: 1, sentAt: 5, body: 'AQID' });
    expect(connection.status).toBe('connecting');
    socket.push(READY);
    expect(statuses).toEqual(['connecting', 'online']);
    expect(frames.map((f) => f.type)).toEqual(['message', 'ready']);
  });

  it('writes frames only once the server has answered the auth frame', async () => {
    const { connection, sockets } = setup();
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = sockets.latest();
    expect(connection.send({ type: 'ack', ids: ['message-0001'] })).toBe(false);
    socket.open();
    expect(connection.send({ type: 'ack', ids: ['message-0001'] })).toBe(false);
    socket.push(READY);
    expect(connection.send({ type: 'ack', ids: ['message-0001'] })).toBe(true);
    expect(socket.sentOfType('ack')).toHaveLength(1);
  });

  it('refuses frames that do not match the protocol, and keeps going', async () => {
    const { connection, sockets, frames, errors } = setup();
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = sockets.latest();
    socket.open();
    for (const bad of ['not json', { type: 'stored', id: 'message-0001' }, { ...READY, extra: 1 }, { type: 'nope' }]) socket.push(bad);
    socket.push(READY);
    expect(errors).toEqual(Array.from({ length: 4 }, () => ({ code: 'PROTOCOL_ERROR', fatal: false })));
    expect(frames.map((f) => f.type)).toEqual(['ready']);
  });

  it('reconnects after a drop with growing, jittered delays, and resets them once online', async () => {
    const { connection, sockets, statuses } = setup();
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    sockets.latest().close(1006);
    expect(statuses.at(-1)).toBe('offline');
    // random() = 0.5: half of 1000, then half of 2000.
    await vi.advanceTimersByTimeAsync(499);
    expect(sockets.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets.sockets).toHaveLength(2);
    sockets.latest().close(1006);
    await vi.advanceTimersByTimeAsync(999);
    expect(sockets.sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets.sockets).toHaveLength(3);
    sockets.latest().open();
    sockets.latest().push(READY);
    sockets.latest().close(1006);
    await vi.advanceTimersByTimeAsync(500);
    expect(sockets.sockets).toHaveLength(4);
  });

  it('after a 4401 close (token refused) the next attempt logs in afresh', async () => {
    const { connection, sockets, tokenCalls } = setup();
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    sockets.latest().open();
    sockets.latest().close(4401);
    await vi.advanceTimersByTimeAsync(BACKOFF.maxMs);
    sockets.latest().open();
    expect(tokenCalls).toEqual([false, true]);
    expect(sockets.latest().sent).toEqual([{ type: 'auth', token: 'fresh-token-0123456789' }]);
  });

  it('keeps retrying while the server is unreachable, and stops for good when it refuses our key', async () => {
    let answer: 'unreachable' | 'refused' = 'unreachable';
    const { connection, sockets, errors } = setup(async () => {
      throw new ClientError(answer === 'unreachable' ? 'SERVER_UNREACHABLE' : 'AUTH_FAILED', answer);
    });
    connection.start();
    await vi.advanceTimersByTimeAsync(BACKOFF.maxMs * 3);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors.every((e) => e.code === 'SERVER_UNREACHABLE' && !e.fatal)).toBe(true);
    answer = 'refused';
    await vi.advanceTimersByTimeAsync(BACKOFF.maxMs);
    expect(errors.at(-1)).toEqual({ code: 'AUTH_FAILED', fatal: true });
    const count = errors.length;
    await vi.advanceTimersByTimeAsync(BACKOFF.maxMs * 5);
    expect(errors).toHaveLength(count);
    expect(sockets.sockets).toHaveLength(0);
    expect(connection.status).toBe('offline');
  });

  it(`gives up on a socket that says nothing for ${FIRST_FRAME_TIMEOUT_MS / 1000} s, and tries again`, async () => {
    const { connection, sockets } = setup();
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    sockets.latest().open();
    await vi.advanceTimersByTimeAsync(FIRST_FRAME_TIMEOUT_MS);
    expect(sockets.sockets[0]!.readyState).toBe(3);
    await vi.advanceTimersByTimeAsync(BACKOFF.initialMs);
    expect(sockets.sockets).toHaveLength(2);
  });

  it('stop() closes the socket and ends reconnecting', async () => {
    const { connection, sockets, statuses } = setup();
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    sockets.latest().open();
    sockets.latest().push(READY);
    connection.stop();
    expect(sockets.latest().readyState).toBe(3);
    await vi.advanceTimersByTimeAsync(BACKOFF.maxMs * 4);
    expect(sockets.sockets).toHaveLength(1);
    expect(statuses.at(-1)).toBe('offline');
  });
});
