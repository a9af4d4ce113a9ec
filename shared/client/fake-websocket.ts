/**
 * A scripted WebSocket for tests of the connection logic: the test opens it,
 * pushes server frames into it, closes it, and reads what the client sent.
 * Not used by the product itself.
 */
import type { WebSocketFactory, WebSocketLike } from './websocket.js';

type Listeners = {
  open: (() => void)[];
  message: ((event: { data: unknown }) => void)[];
  close: ((event: { code: number }) => void)[];
  error: (() => void)[];
};

export class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: unknown[] = [];
  readonly #listeners: Listeners = { open: [], message: [], close: [], error: [] };

  constructor(readonly url: string) {}

  addEventListener(type: keyof Listeners, listener: never): void {
    (this.#listeners[type] as unknown[]).push(listener);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('FakeSocket: send while not open');
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    for (const listener of this.#listeners.close) listener({ code });
  }

  // --- the server's side ---

  open(): void {
    this.readyState = 1;
    for (const listener of this.#listeners.open) listener();
  }

  push(frame: unknown): void {
    const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
    for (const listener of this.#listeners.message) listener({ data });
  }

  /** Frames the client sent of one type. */
  sentOfType(type: string): Record<string, unknown>[] {
    return (this.sent as Record<string, unknown>[]).filter((frame) => frame.type === type);
  }
}

/** A WebSocket constructor whose every instance is recorded, newest last. */
export function fakeWebSocketFactory(): { WebSocket: WebSocketFactory; sockets: FakeSocket[]; latest(): FakeSocket } {
  const sockets: FakeSocket[] = [];
  class RecordedSocket extends FakeSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  return {
    WebSocket: RecordedSocket,
    sockets,
    latest: () => {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket was opened');
      return socket;
    },
  };
}
