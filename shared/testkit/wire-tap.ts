/**
 * Fault injection AROUND a real server, for tests: a WebSocket that forwards
 * to the `ws` package's real socket, and a fetch that forwards to the real
 * fetch. Both record what passes; on request they lose, hold or add traffic
 * the way a bad network does (a confirmation lost in transit, a socket that
 * goes silent, a connection cut, a response that never arrives). Nothing here
 * answers in the server's place. Not used by the product itself.
 */
import { WebSocket as NodeWebSocket } from 'ws';
import type { FetchLike, WebSocketFactory, WebSocketLike } from '@envelope/client-core';

export type Frame = Record<string, unknown>;
type MessageListener = (event: { data: unknown }) => void;

/** Faults applied to every socket of a factory, current and future. */
export interface WireFaults {
  /** Server frames matching this are lost before the client sees them. */
  dropIncoming: ((frame: Frame) => boolean) | null;
  /** Client frames matching this are lost before they reach the server (still recorded in `sent`). */
  dropOutgoing: ((frame: Frame) => boolean) | null;
  /** While true, server frames are queued instead of delivered (release() delivers them). */
  holding: boolean;
}

export class TappedSocket implements WebSocketLike {
  /** Every frame the client wrote, lost or not. */
  readonly sent: Frame[] = [];
  /** Every frame delivered to the client. */
  readonly received: Frame[] = [];
  /** When the client created it (Date.now()). */
  readonly createdAt = Date.now();
  /** The close code the client saw, once closed. */
  closeCode: number | undefined;
  readonly #socket: NodeWebSocket;
  readonly #listeners: MessageListener[] = [];
  readonly #held: unknown[] = [];

  constructor(
    readonly url: string,
    private readonly faults: WireFaults,
  ) {
    this.#socket = new NodeWebSocket(url);
    this.#socket.addEventListener('message', (event) => this.#incoming(event.data));
    this.#socket.addEventListener('close', (event) => (this.closeCode = event.code));
  }

  get readyState(): number {
    return this.#socket.readyState;
  }

  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: never): void {
    if (type === 'message') this.#listeners.push(listener);
    else this.#socket.addEventListener(type, listener);
  }

  send(data: string): void {
    const frame = JSON.parse(data) as Frame;
    this.sent.push(frame);
    if (this.faults.dropOutgoing?.(frame)) return;
    this.#socket.send(data);
  }

  close(code?: number, reason?: string): void {
    this.#socket.close(code, reason);
  }

  // --- the network's side ---

  /** Cuts the connection without a closing handshake (the client sees 1006). */
  cut(): void {
    this.#socket.terminate();
  }

  /** Delivers data the server never sent (a corrupted or hostile network). */
  inject(data: unknown): void {
    this.#deliver(typeof data === 'string' ? data : JSON.stringify(data));
  }

  /** How many server frames are held (not yet delivered to the client). */
  get heldCount(): number {
    return this.#held.length;
  }

  /** Delivers frames queued while the factory was holding. */
  release(): void {
    for (const data of this.#held.splice(0)) this.#deliver(data);
  }

  sentOfType(type: string): Frame[] {
    return this.sent.filter((frame) => frame.type === type);
  }

  receivedOfType(type: string): Frame[] {
    return this.received.filter((frame) => frame.type === type);
  }

  #incoming(data: unknown): void {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer);
    if (this.faults.dropIncoming?.(JSON.parse(text) as Frame)) return;
    if (this.faults.holding) this.#held.push(text);
    else this.#deliver(text);
  }

  #deliver(data: unknown): void {
    try {
      this.received.push(JSON.parse(String(data)) as Frame);
    } catch {
      // not JSON: injected garbage, delivered as is
    }
    for (const listener of this.#listeners) listener({ data });
  }
}

export interface WireTap {
  readonly WebSocket: WebSocketFactory;
  readonly sockets: TappedSocket[];
  readonly faults: WireFaults;
  latest(): TappedSocket;
  /** Stops holding and delivers what was held, on every socket. */
  release(): void;
}

/** A WebSocket constructor over real sockets, every instance recorded (newest last). */
export function wireTap(): WireTap {
  const sockets: TappedSocket[] = [];
  const faults: WireFaults = { dropIncoming: null, dropOutgoing: null, holding: false };
  class Tapped extends TappedSocket {
    constructor(url: string) {
      super(url, faults);
      sockets.push(this);
    }
  }
  return {
    WebSocket: Tapped,
    sockets,
    faults,
    latest: () => {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket was opened');
      return socket;
    },
    release: () => {
      faults.holding = false;
      for (const socket of sockets) socket.release();
    },
  };
}

export interface FetchTap {
  readonly fetch: FetchLike;
  /** Every request, as "METHOD /path". */
  readonly requests: string[];
  /** The next request to `path` reaches the server, but its response is lost (the caller sees a network error). */
  loseNextResponse(path: string): void;
}

/** The real fetch, recorded, with responses that can be lost in transit. */
export function fetchTap(inner: FetchLike = (input, init) => globalThis.fetch(input, init)): FetchTap {
  const requests: string[] = [];
  const losing = new Set<string>();
  return {
    requests,
    loseNextResponse: (path) => losing.add(path),
    fetch: async (input, init) => {
      const path = new URL(input).pathname;
      requests.push(`${init?.method ?? 'GET'} ${path}`);
      const response = await inner(input, init);
      if (losing.delete(path)) {
        await response.arrayBuffer();
        throw new TypeError('fetch failed: connection reset');
      }
      return response;
    },
  };
}
