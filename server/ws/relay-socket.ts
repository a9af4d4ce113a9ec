/**
 * The WebSocket transport of the relay (/api/ws). Every frame is parsed against
 * shared/protocol/ws.ts before anything acts on it; a bad frame gets an `error`
 * frame naming the request it answers, and the connection goes on. Frames larger
 * than MAX_WS_FRAME_BYTES are refused by ws before they are buffered (close 1009).
 */
import type { Server as HttpServer } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { parseClientFrame, storedFrameJson, type ServerFrameWire, MAX_WS_FRAME_BYTES, type ErrorCode } from '@envelope/protocol';
import { normalised, type AddressLog } from '../domain/address-log.js';
import type { AuthenticatedDevice, AuthService } from '../domain/auth.js';
import type { PolicyService } from '../domain/policy.js';
import type { PrekeyService } from '../domain/prekeys.js';
import type { RelayService } from '../domain/relay.js';
import type { RelayConnection, SubmitHandler } from '../domain/relay-types.js';
import { describeIssues } from '../http/problem.js';

export const RELAY_PATH = '/api/ws';
/** Close codes (4000-4999 are ours). */
export const CLOSE_UNAUTHORIZED = 4401;
const AUTH_TIMEOUT_MS = 10_000;
const HEARTBEAT_MS = 30_000;

export interface RelaySocketDeps {
  auth: AuthService;
  relay: RelayService;
  prekeys: PrekeyService;
  /** The mode each device hears right after auth (before its backlog): it must know what it may send before it sends. */
  policy: Pick<PolicyService, 'announcement'>;
  addresses: AddressLog;
  log: (line: string) => void;
}

/** The `id` of a frame that failed, as far as it can be told, for the error frame that answers it. */
function requestId(raw: unknown): string | undefined {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 64) : undefined;
}

export function attachRelaySocket(httpServer: HttpServer, deps: RelaySocketDeps): WebSocketServer {
  const wss = new WebSocketServer({
    server: httpServer,
    path: RELAY_PATH,
    maxPayload: MAX_WS_FRAME_BYTES,
    // Every frame is parsed against the protocol schema, whose fields allow only
    // ASCII (ids, names, base64url); invalid UTF-8 decodes to U+FFFD and is refused
    // there. ws's own pass over every byte in JavaScript is redundant.
    skipUTF8Validation: true,
  });
  // ws re-emits the HTTP server's errors (e.g. EADDRINUSE); the HTTP server's own
  // listener reports them (main.ts), so here they must not become a crash.
  wss.on('error', () => {});
  const alive = new WeakSet<WebSocket>();

  wss.on('connection', (socket, request) => {
    const address = normalised(request.socket.remoteAddress ?? 'unknown');
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
    let connection: RelayConnection | undefined;
    const authTimer = setTimeout(() => {
      if (!connection) socket.close(CLOSE_UNAUTHORIZED, 'authenticate first');
    }, AUTH_TIMEOUT_MS);

    // Frames pushed in one turn of the event loop leave in one write: the socket is
    // corked at the first and uncorked after the turn (one syscall, not one per frame).
    const tcp = (socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    let corked = false;
    const pushText = (json: string) => {
      if (socket.readyState !== socket.OPEN) return;
      if (tcp && !corked) {
        corked = true;
        tcp.cork();
        setImmediate(() => {
          corked = false;
          tcp.uncork();
        });
      }
      socket.send(json);
    };
    const push = (frame: ServerFrameWire) => pushText(JSON.stringify(frame));
    const fail = (code: ErrorCode, message: string, id?: string) => push({ type: 'error', code, message, ...(id ? { id } : {}) });
    const submitHandler: SubmitHandler = {
      // Serialised by hand from the typed frame (frame-json.ts): one per envelope.
      stored: (id, { storedAt }) => pushText(storedFrameJson({ type: 'stored', id, storedAt })),
      failed: (id, error) => fail(error.code, error.message, id),
    };

    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return fail('BAD_REQUEST', 'frames must be JSON text');
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        return fail('BAD_REQUEST', 'frame is not valid JSON');
      }
      const parsed = parseClientFrame(raw);
      if (!parsed.success) return fail('BAD_REQUEST', describeIssues(parsed.error), requestId(raw));
      const frame = parsed.data;

      if (frame.type === 'auth') {
        if (connection) return fail('BAD_REQUEST', 'already authenticated');
        const device = deps.auth.authenticate(frame.token);
        if (!device) return socket.close(CLOSE_UNAUTHORIZED, 'invalid or expired token: sign in again');
        clearTimeout(authTimer);
        connection = { device, address, connectedAt: Date.now(), push, pushText, close: (code, reason) => socket.close(code, reason) };
        deps.addresses.record('connected', address, device);
        push({ type: 'policy', ...deps.policy.announcement() });
        deps.relay.attach(connection, () => ({
          type: 'ready',
          username: device.username,
          deviceId: device.deviceId,
          prekeys: deps.prekeys.status(device.username, device.deviceId),
        }));
        return;
      }
      if (!connection) return fail('UNAUTHORIZED', 'send an auth frame first', requestId(raw));
      const device: AuthenticatedDevice = connection.device;

      if (frame.type === 'send') {
        deps.relay.submit(device, frame, submitHandler);
        return;
      }
      deps.relay.acknowledge(device, frame.ids);
    });

    socket.on('close', () => {
      clearTimeout(authTimer);
      if (connection) deps.relay.detach(connection);
    });
    socket.on('error', () => {
      // ws reports protocol violations (e.g. an oversized frame) here and closes the socket itself.
    });
  });

  // Drop connections that stopped answering pings (a laptop lid closed), so their messages wait in the mailbox.
  const heartbeat = setInterval(() => {
    for (const socket of wss.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  wss.on('close', () => clearInterval(heartbeat));
  return wss;
}
