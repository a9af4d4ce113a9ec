/**
 * The WebSocket to /api/ws, kept open: authenticate with the first frame,
 * parse every server frame with the protocol schema, and reconnect with backoff
 * whenever it drops. A 4401 close (token bad or expired) makes the next attempt
 * log in afresh; a 4410 close (the class was reset) stops it for good. Frames are handed over in arrival order; what they mean is the
 * client's business (client.ts).
 */
import { CLOSE_CLASS_RESET, ServerFrameSchema, type ClientFrameWire, type ServerFrame } from '@envelope/protocol';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { ClientError, isClientError } from './errors.js';
import { CLOSE_NORMAL, CLOSE_UNAUTHORIZED, WEBSOCKET_OPEN, type WebSocketFactory, type WebSocketLike } from './websocket.js';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';

/** A socket that has said nothing for this long after opening is dead: drop it and retry. */
export const FIRST_FRAME_TIMEOUT_MS = 15_000;

export interface ConnectionOptions {
  readonly url: string;
  readonly WebSocket: WebSocketFactory;
  /** A bearer token; `fresh` after the server refused the last one. */
  getToken(fresh: boolean): Promise<string>;
  onFrame(frame: ServerFrame): void;
  onStatus(status: ConnectionStatus): void;
  /** Something went wrong that the caller should hear about; `fatal` means reconnecting stopped. */
  onError(error: ClientError, fatal: boolean): void;
  readonly backoff?: BackoffOptions;
  readonly random?: () => number;
}

export class Connection {
  #socket: WebSocketLike | null = null;
  #status: ConnectionStatus = 'offline';
  /** The server has answered our auth frame (with any frame): it accepts others now. */
  #authenticated = false;
  #attempt = 0;
  #freshToken = false;
  #stopped = true;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #silenceTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: ConnectionOptions) {}

  get status(): ConnectionStatus {
    return this.#status;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) socket.close(CLOSE_NORMAL, 'client closing');
    this.#setStatus('offline');
  }

  /** Writes a frame if the socket is open and authenticated; false otherwise (the caller retries at the next 'ready'). */
  send(frame: ClientFrameWire): boolean {
    const socket = this.#socket;
    if (!socket || !this.#authenticated || socket.readyState !== WEBSOCKET_OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    this.#setStatus('connecting');
    let token: string;
    try {
      token = await this.options.getToken(this.#freshToken);
      this.#freshToken = false;
    } catch (error) {
      const clientError = isClientError(error) ? error : new ClientError('SERVER_UNREACHABLE', 'could not log in');
      // A server that refuses our key will refuse it again: stop instead of hammering it.
      // A profile another client took over is no longer ours to connect with.
      if (clientError.code === 'AUTH_FAILED' || clientError.code === 'NOT_OWNER') {
        this.options.onError(clientError, true);
        this.stop();
        return;
      }
      this.options.onError(clientError, false);
      this.#setStatus('offline');
      this.#scheduleRetry();
      return;
    }
    if (this.#stopped) return;

    let socket: WebSocketLike;
    try {
      socket = new this.options.WebSocket(this.options.url);
    } catch {
      this.options.onError(new ClientError('SERVER_UNREACHABLE', `cannot open ${this.options.url}`), false);
      this.#setStatus('offline');
      this.#scheduleRetry();
      return;
    }
    this.#socket = socket;
    this.#authenticated = false;
    const current = () => this.#socket === socket;

    // A socket that hangs while connecting, or opens and then says nothing, is given up on.
    this.#silenceTimer = setTimeout(() => this.#drop(socket), FIRST_FRAME_TIMEOUT_MS);
    socket.addEventListener('open', () => {
      if (!current()) return;
      socket.send(JSON.stringify({ type: 'auth', token } satisfies ClientFrameWire));
    });
    socket.addEventListener('message', (event) => {
      if (!current()) return;
      this.#clearSilenceTimer();
      this.#handleData(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (!current()) return;
      if (event.code === CLOSE_CLASS_RESET) {
        // The account is gone: signing in again would only be refused.
        this.options.onError(new ClientError('CLASS_RESET', 'the class was reset: this account no longer exists on the server'), true);
        this.stop();
        return;
      }
      if (event.code === CLOSE_UNAUTHORIZED) this.#freshToken = true;
      this.#drop(socket);
    });
    // 'error' is always followed by 'close', which does the work.
    socket.addEventListener('error', () => undefined);
  }

  #handleData(data: unknown): void {
    const text = typeof data === 'string' ? data : data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? decodeText(data) : null;
    let json: unknown;
    try {
      json = text === null ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = ServerFrameSchema.safeParse(json);
    if (!parsed.success) {
      this.options.onError(new ClientError('PROTOCOL_ERROR', 'the server sent a frame that does not match the protocol'), false);
      return;
    }
    this.#authenticated = true;
    if (parsed.data.type === 'ready') {
      this.#attempt = 0;
      this.#setStatus('online');
    }
    this.options.onFrame(parsed.data);
  }

  #scheduleRetry(): void {
    if (this.#stopped || this.#retryTimer) return;
    const delay = backoffDelay(this.#attempt++, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.#connect();
    }, delay);
  }

  /** Forgets `socket` (closed, or given up on) and schedules the next attempt. */
  #drop(socket: WebSocketLike): void {
    if (this.#socket !== socket) return;
    this.#socket = null;
    this.#authenticated = false;
    this.#clearSilenceTimer();
    if (socket.readyState <= WEBSOCKET_OPEN) socket.close(CLOSE_NORMAL, 'no answer'); // CONNECTING or OPEN
    this.#setStatus('offline');
    this.#scheduleRetry();
  }

  #clearSilenceTimer(): void {
    if (this.#silenceTimer) clearTimeout(this.#silenceTimer);
    this.#silenceTimer = null;
  }

  #clearTimers(): void {
    this.#clearSilenceTimer();
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.options.onStatus(status);
  }
}

function decodeText(data: ArrayBuffer | ArrayBufferView): string | null {
  try {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
