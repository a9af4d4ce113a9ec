/**
 * Frames written by FrameBatch, read by a real ws client over a real socket:
 * every length boundary of RFC 6455's three length encodings, text that is not
 * ASCII, many frames in one write, and a close frame that comes after them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { FrameBatch, frameHeaderBytes } from './frame-batch.js';

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  servers = [];
});

/** A server that, on connection, hands its socket's FrameBatch to `serve`; returns what a client received, and how it was closed. */
async function exchange(serve: (batch: FrameBatch, socket: WebSocket) => void): Promise<{ messages: string[]; closed: { code: number; reason: string } }> {
  const http = createServer();
  servers.push(http);
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket) => {
    const tcp = (socket as unknown as { _socket: Writable })._socket;
    serve(new FrameBatch(tcp, () => socket.readyState === socket.OPEN), socket);
  });
  await new Promise<void>((ready) => http.listen(0, '127.0.0.1', ready));
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  const messages: string[] = [];
  client.on('message', (data, isBinary) => {
    expect(isBinary).toBe(false);
    messages.push(data.toString());
  });
  const closed = await new Promise<{ code: number; reason: string }>((done, fail) => {
    client.on('error', fail);
    client.on('close', (code, reason) => done({ code, reason: reason.toString() }));
  });
  wss.close();
  return { messages, closed };
}

describe('FrameBatch', () => {
  it('frames every length boundary and any text, in order, and closes after them', async () => {
    const lengths = [0, 1, 125, 126, 127, 65_535, 65_536, 200_000];
    const texts = [...lengths.map((n, i) => String.fromCharCode(97 + i).repeat(n)), 'plain words: é, 漢字, 🙂', '{"type":"stored"}'];
    const { messages, closed } = await exchange((batch, socket) => {
      for (const text of texts) batch.add(text);
      // Closed in the same turn: the queued frames still go first.
      batch.flush();
      socket.close(4000, 'done');
    });
    expect(messages).toEqual(texts);
    expect(closed).toEqual({ code: 4000, reason: 'done' });
  });

  it('writes a turn’s frames at the end of the turn, and frames queued later in a later write', async () => {
    const { messages } = await exchange((batch, socket) => {
      batch.add('first');
      batch.add('second');
      setImmediate(() => {
        batch.add('third');
        setImmediate(() => {
          batch.flush();
          socket.close(1000);
        });
      });
    });
    expect(messages).toEqual(['first', 'second', 'third']);
  });

  it('sizes headers as RFC 6455 §5.2 does', () => {
    expect([0, 125, 126, 65_535, 65_536].map(frameHeaderBytes)).toEqual([2, 2, 4, 4, 10]);
  });
});
