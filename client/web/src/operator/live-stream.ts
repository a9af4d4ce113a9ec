/**
 * Keeps the operator stream open: reconnects with backoff after a break,
 * resuming after the last seq the page holds so nothing is missed or doubled,
 * and notices a silent connection (no events and no keep-alive ping) and
 * replaces it. A refused token ends it: the page asks for a new one.
 */
import { backoffDelay, type BackoffOptions } from '@envelope/client-core';
import { OperatorApiError, type OperatorApi, type StreamEvent } from './operator-api.js';
import { STREAM_PING_MS } from './schemas.js';

export type ConnectionState =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'connecting'; readonly attempt: number }
  | { readonly kind: 'live' }
  /** Waiting before the next attempt; `retryAt` on the page's clock. */
  | { readonly kind: 'waiting'; readonly attempt: number; readonly retryAt: number; readonly reason: string };

/** Without a byte for this long (two missed pings, and some slack) the connection is taken for dead. */
export const STALL_MS = 2 * STREAM_PING_MS + 5_000;
/** Quicker than the chat client's: an operator watching a projector wants the view back soon. */
export const STREAM_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000, minMs: 250 };

export interface LiveStreamHooks {
  /** The last seq shown, to resume after; null for "from now on". */
  after(): number | null;
  onEvents(events: readonly StreamEvent[]): void;
  onState(state: ConnectionState): void;
  /** The server refused the token (401). */
  onRefused(): void;
}

export class LiveStream {
  #running = false;
  #connection: AbortController | null = null;
  #wakeUp: (() => void) | null = null;

  constructor(
    readonly api: OperatorApi,
    readonly hooks: LiveStreamHooks,
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#run();
  }

  stop(): void {
    this.#running = false;
    this.#connection?.abort();
    this.#wakeUp?.();
    this.hooks.onState({ kind: 'stopped' });
  }

  /** Skips the wait before the next attempt. */
  retryNow(): void {
    this.#wakeUp?.();
  }

  async #run(): Promise<void> {
    let attempt = 0;
    while (this.#running) {
      const connection = new AbortController();
      this.#connection = connection;
      this.hooks.onState({ kind: 'connecting', attempt });
      let stall: ReturnType<typeof setTimeout> | undefined;
      const alive = () => {
        clearTimeout(stall);
        stall = setTimeout(() => connection.abort(), STALL_MS);
      };
      let reason = 'the server closed the live stream';
      try {
        alive();
        await this.api.stream(this.hooks.after(), {
          onOpen: () => {
            attempt = 0;
            this.hooks.onState({ kind: 'live' });
          },
          onEvents: (events) => this.hooks.onEvents(events),
          onAlive: alive,
        }, connection.signal);
      } catch (error) {
        if (!this.#running) return;
        if (error instanceof OperatorApiError && error.code === 'UNAUTHORIZED') {
          this.#running = false;
          this.hooks.onState({ kind: 'stopped' });
          this.hooks.onRefused();
          return;
        }
        reason = connection.signal.aborted ? 'the server went quiet' : error instanceof OperatorApiError ? error.message : 'the live stream broke off';
      } finally {
        clearTimeout(stall);
      }
      if (!this.#running) return;
      const delay = backoffDelay(attempt++, STREAM_BACKOFF);
      this.hooks.onState({ kind: 'waiting', attempt, retryAt: Date.now() + delay, reason });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.#wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeUp = null;
    }
  }
}
