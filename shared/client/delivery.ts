/**
 * The sender's side of at-least-once delivery: outbox entries go on the wire
 * at every (re)connect until the server answers `stored`; a refusal that can
 * pass (RATE_LIMITED, a server error) is retried later, one that cannot
 * (UNKNOWN_RECIPIENT, a malformed envelope) takes the entry out of the outbox
 * and fails the send. `send()` callers wait here for their envelopes.
 */
import { isErrorCode, type ErrorCode, type MessageId, type ClientFrameWire, type ServerFrame } from '@envelope/protocol';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { ClientError, type ClientErrorCode } from './errors.js';
import { sentStateUpdate } from './history.js';
import { loadOutbox, type OutboxEntry } from './outgoing.js';
import type { ClientStore } from './store.js';
import { OutboxKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

type StoredFrame = Extract<ServerFrame, { type: 'stored' }>;
type ErrorFrame = Extract<ServerFrame, { type: 'error' }>;

/** Refusals that say "not now" rather than "never". */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['RATE_LIMITED', 'INTERNAL', 'UNAUTHORIZED']);

const PERMANENT_TO_CLIENT: Partial<Record<ErrorCode, ClientErrorCode>> = {
  UNKNOWN_RECIPIENT: 'UNKNOWN_USER',
  NOT_FOUND: 'UNKNOWN_USER',
  SEALED_ACCESS_DENIED: 'SEALED_ACCESS_DENIED',
  BAD_TRANSPORT_ENVELOPE: 'BAD_TRANSPORT_ENVELOPE',
  BAD_ACCESS_FIELD: 'BAD_ACCESS_FIELD',
};

export interface DeliveryHooks {
  /** Writes a frame; false if the socket is not usable now (the entry waits for the next 'ready'). */
  send(frame: ClientFrameWire): boolean;
  onStored(entry: OutboxEntry, storedAt: number): void;
  onFailed(entry: OutboxEntry, error: ClientError): void;
  /** Sends a sealed-sender envelope over POST /api/sealed (no token); rejects with a ClientError. */
  postSealed(entry: OutboxEntry): Promise<{ storedAt: number }>;
  /** What went wrong handling a sealed post's answer (it runs on its own, with nobody awaiting it). */
  onBackgroundError(error: unknown): void;
}

interface Waiter {
  resolve(storedAt: number): void;
  reject(error: ClientError): void;
}

/**
 * The `send` frame for an outbox entry. A receipt says so on the envelope
 * (`receipt: true`), as Signal's clients mark receipts `urgent: false`: the
 * server can tell them from messages, which is no news to it (it saw the
 * message arrive and the recipient take it). Sealed entries go over
 * POST /api/sealed instead, with no marker: there it would name the pair.
 */
export function sendFrame(entry: OutboxEntry): ClientFrameWire {
  const frame: ClientFrameWire = { type: 'send', id: entry.id, to: entry.to, toDevice: entry.toDevice, body: entry.body };
  if (entry.control === 'receipt') frame.receipt = true;
  // The mode it was encrypted under, whatever the mode is now (policy.ts): the server opens transport-only bodies.
  if (entry.mode !== undefined) frame.mode = entry.mode;
  // key-escrow: the access field made when it was encrypted (escrow.ts), never remade.
  if (entry.access !== undefined) frame.access = entry.access;
  return entry.commitment === undefined ? frame : { ...frame, commitment: entry.commitment };
}

export class Delivery {
  readonly #waiters = new Map<MessageId, Waiter>();
  readonly #retries = new Map<MessageId, number>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly store: ClientStore,
    private readonly hooks: DeliveryHooks,
  ) {}

  /** Resolves with storedAt once the server stored envelope `id`. Register before sending. */
  waitFor(id: MessageId): Promise<number> {
    return new Promise((resolve, reject) => this.#waiters.set(id, { resolve, reject }));
  }

  /** Puts entries on the wire now (if the socket is usable). */
  transmit(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      if (entry.sealed) {
        this.#postSealed(entry).catch((error: unknown) => this.hooks.onBackgroundError(error));
        continue;
      }
      if (!this.hooks.send(sendFrame(entry))) return;
    }
  }

  /** A sealed envelope goes over HTTP, with the same outcomes a `stored` or `error` frame would bring. */
  async #postSealed(entry: OutboxEntry): Promise<void> {
    let storedAt: number;
    try {
      ({ storedAt } = await this.hooks.postSealed(entry));
    } catch (error) {
      const serverCode = error instanceof ClientError ? error.details.serverCode : undefined;
      if (typeof serverCode === 'string' && isErrorCode(serverCode) && !TRANSIENT.has(serverCode)) {
        await this.handleError({ type: 'error', id: entry.id, code: serverCode, message: (error as Error).message });
      } else if (await this.store.get(keys.outbox(entry.id))) {
        this.#retryLater(entry); // unreachable or busy: it stays in the outbox, and every 'ready' resends it too
      }
      return;
    }
    await this.handleStored({ type: 'stored', id: entry.id, storedAt });
  }

  /** Resends the whole outbox, oldest first (after every 'ready'). */
  async flush(): Promise<void> {
    this.transmit(await loadOutbox({ store: this.store }));
  }

  async handleStored(frame: StoredFrame): Promise<void> {
    const entry = await readRecord(this.store, OutboxKind, keys.outbox(frame.id));
    if (entry) {
      // The history says 'stored' in the same put that takes the envelope out of the outbox.
      const history = await sentStateUpdate(this.store, frame.id, { state: 'stored', at: frame.storedAt });
      await this.store.put({ [keys.outbox(frame.id)]: undefined, ...history?.entries });
    }
    this.#retries.delete(frame.id);
    this.#settle(frame.id)?.resolve(frame.storedAt);
    if (entry) this.hooks.onStored(entry, frame.storedAt);
  }

  /** Handles an error frame naming an envelope; false if the id is not one of ours (the caller reports it). */
  async handleError(frame: ErrorFrame): Promise<boolean> {
    if (frame.id === undefined) return false;
    const entry = await readRecord(this.store, OutboxKind, keys.outbox(frame.id as MessageId));
    if (!entry) return false;
    if (TRANSIENT.has(frame.code)) {
      this.#retryLater(entry);
      return true;
    }
    const history = await sentStateUpdate(this.store, entry.id, { state: 'failed', reason: frame.code });
    await this.store.put({ [keys.outbox(entry.id)]: undefined, ...history?.entries });
    const code = PERMANENT_TO_CLIENT[frame.code] ?? 'PROTOCOL_ERROR';
    const error = new ClientError(code, `the server refused the message to ${entry.to}: ${frame.code}`, { contact: entry.to, serverCode: frame.code });
    this.#retries.delete(entry.id);
    this.#settle(entry.id)?.reject(error);
    this.hooks.onFailed(entry, error);
    return true;
  }

  /** Fails every waiting send (the entries stay in the outbox for next time). */
  abort(error: ClientError): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const [id, waiter] of this.#waiters) {
      this.#waiters.delete(id);
      waiter.reject(error);
    }
  }

  #retryLater(entry: OutboxEntry): void {
    const attempt = this.#retries.get(entry.id) ?? 0;
    this.#retries.set(entry.id, attempt + 1);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      // Still in the outbox? (a reconnect may have delivered it meanwhile)
      void readRecord(this.store, OutboxKind, keys.outbox(entry.id)).then((current) => current && this.transmit([current]));
    }, backoffDelay(attempt, DEFAULT_BACKOFF));
    this.#timers.add(timer);
  }

  #settle(id: MessageId): Waiter | undefined {
    const waiter = this.#waiters.get(id);
    this.#waiters.delete(id);
    return waiter;
  }
}
