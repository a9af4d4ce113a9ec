/**
 * The bare forwarder the relay is measured against (npm run bench -- relay):
 * the same frames on the same kind of sockets, but no validation, no storage,
 * no rate limits: parse, forward, confirm. The limit a relay on this machine
 * and this load generator could reach. Not part of the product.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const sockets = new Map<string, WebSocket>();
const http = createServer();
const wss = new WebSocketServer({ server: http, path: '/api/ws' });

wss.on('connection', (socket) => {
  let name: string | undefined;
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { type: string; token?: string; id?: string; to?: string; body?: string };
    if (frame.type === 'auth') {
      name = frame.token!; // the load generator uses the username as the token here
      sockets.set(name, socket);
      socket.send(JSON.stringify({ type: 'ready', username: name, deviceId: 1, prekeys: { oneTimePreKeys: 0, kemPreKeys: 0, low: false } }));
    } else if (frame.type === 'send') {
      const now = Date.now();
      socket.send(JSON.stringify({ type: 'stored', id: frame.id, storedAt: now }));
      sockets.get(frame.to!)?.send(JSON.stringify({ type: 'message', id: frame.id, from: name, fromDevice: 1, sentAt: now, body: frame.body }));
    }
  });
  socket.on('close', () => {
    if (name && sockets.get(name) === socket) sockets.delete(name);
  });
});

http.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(http.address() as AddressInfo).port}\n`);
});
