/**
 * A network that changes the real server's policy announcement in transit,
 * for tests of a client meeting a mode it does not know (fail closed). The
 * real server refuses to be switched to a mode it does not implement, so a
 * test cannot make it announce one; this passes every request and frame to
 * and from the real server unchanged, except that the `mode` of its answer to
 * GET /api/policy and of its `policy` frames is replaced: what a newer server
 * would say. Nothing here answers in the server's place. Not used by the
 * product itself.
 */
import { WebSocket as NodeWebSocket } from 'ws';
import type { FetchLike, WebSocketFactory, WebSocketLike } from '@envelope/client-core';

/** The real fetch, with GET /api/policy's `mode` replaced by `mode`. */
export function fetchAnnouncing(mode: string, inner: FetchLike = (input, init) => globalThis.fetch(input, init)): FetchLike {
  return async (input, init) => {
    const response = await inner(input, init);
    if (new URL(input).pathname !== '/api/policy' || !response.ok) return response;
    const announcement = (await response.json()) as Record<string, unknown>;
    return new Response(JSON.stringify({ ...announcement, mode }), { status: response.status, headers: response.headers });
  };
}

/** A WebSocket over the real one whose `policy` frames say `mode`. */
export function webSocketAnnouncing(mode: string): WebSocketFactory {
  return class AnnouncingSocket implements WebSocketLike {
    readonly #socket: NodeWebSocket;

    constructor(url: string) {
      this.#socket = new NodeWebSocket(url);
    }

    get readyState(): number {
      return this.#socket.readyState;
    }

    addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: never): void {
      if (type !== 'message') {
        this.#socket.addEventListener(type, listener);
        return;
      }
      this.#socket.addEventListener('message', (event) => {
        const text = String(event.data);
        const frame = JSON.parse(text) as Record<string, unknown>;
        const data = frame.type === 'policy' ? JSON.stringify({ ...frame, mode }) : text;
        (listener as (event: { data: unknown }) => void)({ data });
      });
    }

    send(data: string): void {
      this.#socket.send(data);
    }

    close(code?: number, reason?: string): void {
      this.#socket.close(code, reason);
    }
  };
}

/** Both: the client of a CLI command (shared/testkit/cli.ts `network`) or of a test, meeting `mode` everywhere. */
export function networkAnnouncing(mode: string): { fetch: FetchLike; WebSocket: WebSocketFactory } {
  return { fetch: fetchAnnouncing(mode), WebSocket: webSocketAnnouncing(mode) };
}
