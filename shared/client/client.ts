/**
 * EnvelopeClient: the headless client the CLI, the web app and the tests
 * drive. It wires the messaging steps (outgoing.ts, incoming.ts,
 * key-change.ts, safety.ts) to the server (server-api.ts over HTTP,
 * connection.ts over WebSocket) and reports what happens as events.
 *
 * Every step that reads and replaces stored state runs on one SerialQueue, so
 * a send and a receive never race on the same session.
 */
import { cryptoReady } from '../crypto/sodium.js';
import type { IdentityKeyPair } from '../crypto/identity.js';
import type { PreKeyStatus } from '../protocol/http.js';
import type { DeviceId, MessageId, Username } from '../protocol/ids.js';
import type { ServerFrame } from '../protocol/ws.js';
import { loadSelf, registerAccount, type RegisterOptions } from './account.js';
import { TokenSource } from './auth.js';
import type { BackoffOptions } from './backoff.js';
import type { ClientEvents } from './client-events.js';
import { Connection, type ConnectionStatus } from './connection.js';
import { loadContactSummaries, type ContactRecord, type ContactSummary } from './contacts.js';
import { Delivery } from './delivery.js';
import { orderCounter, type DeviceContext } from './device.js';
import { ClientError, isClientError } from './errors.js';
import { Emitter } from './events.js';
import { loadInbox, markInboxRead, receiveEnvelope, type InboxEntry, type IncomingOutcome, type MessageFrame } from './incoming.js';
import { loadHeld, trustNewKey } from './key-change.js';
import { loadIdentity, type SelfRecord } from './key-storage.js';
import { assertContactName, ensureSessions, loadOutbox, prepareTextMessage, type OutboxEntry } from './outgoing.js';
import { generatePreKeyRefill } from './own-prekeys.js';
import { computeSafetyNumber, markVerified, type SafetyNumber } from './safety.js';
import { pruneSeen } from './seen.js';
import { SerialQueue } from './serial.js';
import { ServerApi, type FetchLike } from './server-api.js';
import type { ClientStore } from './store.js';
import { keys } from './store-keys.js';
import { Waiters } from './waiters.js';
import { webSocketUrl, type WebSocketFactory } from './websocket.js';

export interface EnvelopeClientOptions {
  /** http(s)://host:port of the server; defaults to the one the profile registered with. */
  readonly serverUrl?: string;
  readonly store: ClientStore;
  /** The `ws` package's WebSocket in Node, window.WebSocket in the browser. */
  readonly WebSocket: WebSocketFactory;
  readonly fetch?: FetchLike;
  readonly now?: () => number;
  readonly backoff?: BackoffOptions;
}

export interface SendResult {
  readonly id: MessageId;
  readonly to: Username;
  /** When the server committed the envelope (the latest, if the recipient has several devices). */
  readonly storedAt: number;
}

export interface PendingSend {
  readonly id: MessageId;
  readonly to: Username;
  /** Resolves when the server has stored every envelope; rejects if it refuses one for good, or on close(). */
  readonly stored: Promise<SendResult>;
}

interface Registered {
  readonly device: DeviceContext;
  readonly tokens: TokenSource;
}

export class EnvelopeClient {
  readonly events = new Emitter<ClientEvents>();
  readonly #options: EnvelopeClientOptions;
  readonly #serverUrl: string;
  readonly #api: ServerApi;
  readonly #now: () => number;
  readonly #queue = new SerialQueue();
  readonly #delivery: Delivery;
  #registered: Registered | null = null;
  #connection: Connection | null = null;
  #refilling: Promise<unknown> | null = null;
  readonly #ready = new Waiters<ClientError>();
  #closed = false;

  private constructor(options: EnvelopeClientOptions, serverUrl: string, self: SelfRecord | null) {
    this.#options = options;
    this.#serverUrl = serverUrl;
    this.#api = new ServerApi(serverUrl, options.fetch);
    this.#now = options.now ?? Date.now;
    this.#delivery = new Delivery(options.store, {
      send: (frame) => this.#connection?.send(frame) ?? false,
      onStored: (entry, storedAt) => this.events.emit('stored', { id: entry.id, messageId: entry.messageId, to: entry.to, storedAt }),
      onFailed: (entry, error) => this.events.emit('send-failed', { id: entry.id, messageId: entry.messageId, to: entry.to, error }),
    });
    if (self?.registered) this.#adopt(self, loadIdentity(self.identity));
  }

  /** Loads the profile in `store` (registered or not). Loads libsodium first. */
  static async open(options: EnvelopeClientOptions): Promise<EnvelopeClient> {
    await cryptoReady();
    const self = await loadSelf(options.store);
    const serverUrl = options.serverUrl ?? self?.serverUrl;
    if (serverUrl === undefined) throw new ClientError('INVALID_ARGUMENT', 'no server URL given and none stored in the profile');
    try {
      new URL(serverUrl);
    } catch {
      throw new ClientError('INVALID_ARGUMENT', `"${serverUrl}" is not a URL`);
    }
    return new EnvelopeClient(options, serverUrl, self);
  }

  /** This profile's account, or null before register(). */
  get account(): { username: Username; deviceId: DeviceId } | null {
    const self = this.#registered?.device.self;
    return self ? { username: self.username, deviceId: self.deviceId } : null;
  }

  /** The server this client talks to. */
  get serverUrl(): string {
    return this.#serverUrl;
  }

  get status(): ConnectionStatus {
    return this.#connection?.status ?? 'offline';
  }

  async register(username: string, options: RegisterOptions = {}): Promise<{ username: Username; deviceId: DeviceId }> {
    const { self, identity, granted } = await this.#queue.run(() =>
      registerAccount(this.#options.store, this.#api, this.#serverUrl, username, options, this.#now),
    );
    this.#adopt(self, identity).tokens.adopt(granted);
    return { username: self.username, deviceId: self.deviceId };
  }

  /** Opens the WebSocket and keeps it open (reconnecting) until close(). */
  connect(): void {
    const { tokens } = this.#registeredState();
    if (this.#closed) throw new ClientError('CLOSED', 'the client is closed');
    this.#connection ??= new Connection({
      url: webSocketUrl(this.#serverUrl),
      WebSocket: this.#options.WebSocket,
      getToken: (fresh) => tokens.token(fresh),
      onFrame: (frame) => this.#onFrame(frame),
      onStatus: (status) => this.events.emit('status', status),
      onError: (error, fatal) => this.#onConnectionError(error, fatal),
      ...(this.#options.backoff ? { backoff: this.#options.backoff } : {}),
    });
    this.#connection.start();
  }

  /** Resolves at the next 'ready' (the backlog is delivered and handled); SERVER_UNREACHABLE after `timeoutMs`. */
  whenReady(timeoutMs = Infinity): Promise<void> {
    return this.#ready.wait(
      timeoutMs,
      () => new ClientError('SERVER_UNREACHABLE', `no connection to ${this.#serverUrl} within ${Math.round(timeoutMs / 1000)} s`),
    );
  }

  /**
   * Encrypts `text` for every device of `to`, stores it in the outbox, and
   * resolves once the server has stored it. If the connection is down it stays
   * in the outbox (also across restarts) and is resent on every reconnect; a
   * caller that stops waiting loses nothing.
   */
  async send(to: string, text: string): Promise<SendResult> {
    return (await this.enqueue(to, text)).stored;
  }

  /**
   * Like send, but resolves as soon as the message is encrypted and in the
   * outbox (durable on this device), with its id and a promise of the
   * server's confirmation: for callers that want to say "queued" before "sent".
   */
  async enqueue(to: string, text: string): Promise<PendingSend> {
    const { device, tokens } = this.#registeredState();
    const fetchBundle = (name: Username) => tokens.authed((token) => this.#api.bundle(name, token));
    const { messageId, envelopes } = await this.#queue.run(() => prepareTextMessage(device, to, text, fetchBundle));
    const stored = Promise.all(envelopes.map((envelope) => this.#delivery.waitFor(envelope.id))).then(
      (times): SendResult => ({ id: messageId, to: to as Username, storedAt: Math.max(...times) }),
    );
    // The caller may only ever look at `id`: a rejection must not go unhandled.
    stored.catch(() => undefined);
    this.#delivery.transmit(envelopes);
    return { id: messageId, to: to as Username, stored };
  }

  /** Received messages (and reports of unreadable ones), oldest first: the device's history, or only what is unread. */
  messages(options: { unreadOnly?: boolean } = {}): Promise<InboxEntry[]> {
    return loadInbox({ store: this.#options.store }, options);
  }

  /** Marks messages as shown, so `messages({ unreadOnly: true })` no longer lists them. */
  markRead(ids: readonly MessageId[]): Promise<void> {
    return this.#queue.run(() => markInboxRead({ store: this.#options.store }, ids));
  }

  /** Deletes messages from this device's history. */
  removeMessages(ids: readonly MessageId[]): Promise<void> {
    return this.#queue.run(() => this.#options.store.put(Object.fromEntries(ids.map((id) => [keys.inbox(id), undefined]))));
  }

  /** Envelopes sent but not yet confirmed stored. */
  outbox(): Promise<OutboxEntry[]> {
    return loadOutbox({ store: this.#options.store });
  }

  /** How many messages are held for a contact (or for everyone) until trustNewKey. */
  async heldCount(contact?: string): Promise<number> {
    return (await loadHeld({ store: this.#options.store }, contact as Username | undefined)).length;
  }

  async contacts(): Promise<ContactSummary[]> {
    return loadContactSummaries(this.#options.store);
  }

  /** The safety number with `contact`; fetches their keys first if we have never talked. */
  async safetyNumber(contact: string): Promise<SafetyNumber> {
    const { device, tokens } = this.#registeredState();
    assertContactName(contact, device.self.username);
    const known = await this.#options.store.get<ContactRecord>(keys.contact(contact));
    if (known === undefined) {
      await this.#queue.run(() => ensureSessions(device, contact, (name) => tokens.authed((token) => this.#api.bundle(name, token))));
    }
    return computeSafetyNumber(device, contact);
  }

  markVerified(contact: string): Promise<void> {
    const { device } = this.#registeredState();
    assertContactName(contact, device.self.username);
    return this.#queue.run(() => markVerified(device, contact));
  }

  /** Accepts `contact`'s new identity key(s), clears 'verified', and releases held messages (as events). */
  async trustNewKey(contact: string): Promise<IncomingOutcome[]> {
    const { device } = this.#registeredState();
    assertContactName(contact, device.self.username);
    const outcomes = await this.#queue.run(() => trustNewKey(device, contact));
    outcomes.forEach((outcome) => this.#report(outcome));
    return outcomes;
  }

  /** Tops up one-time prekeys on the server (done automatically when the server says they run low). */
  async refillPreKeys(counts?: { oneTimePreKeys: number; kemPreKeys: number }): Promise<PreKeyStatus | null> {
    const { device, tokens } = this.#registeredState();
    const current = counts ?? (await tokens.authed((token) => this.#api.preKeyStatus(token)));
    const refill = await this.#queue.run(async () => {
      const self = await loadSelf(this.#options.store);
      if (!self) throw new ClientError('NOT_REGISTERED', 'the profile has no account');
      const generated = generatePreKeyRefill(self, device.identity, current);
      if (generated) await this.#options.store.put(generated.entries);
      return generated;
    });
    if (!refill) return null;
    const status = await tokens.authed((token) => this.#api.uploadPreKeys(refill.upload, token));
    this.events.emit('prekeys-refilled', status);
    return status;
  }

  /** Lets queued work finish, closes the connection, and fails sends still waiting (their envelopes stay in the outbox). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.idle();
    this.#connection?.stop();
    await this.#queue.idle();
    await this.#refilling;
    const error = new ClientError('CLOSED', 'the client was closed');
    this.#delivery.abort(error);
    this.#ready.rejectAll(error);
  }

  #registeredState(): Registered {
    if (!this.#registered) throw new ClientError('NOT_REGISTERED', 'this profile has no account yet: register first');
    return this.#registered;
  }

  #adopt(self: SelfRecord, identity: IdentityKeyPair): Registered {
    const device: DeviceContext = {
      store: this.#options.store,
      self,
      identity,
      now: this.#now,
      nextOrder: orderCounter(this.#now),
      onKeyChange: (contact, deviceId) => this.events.emit('key-changed', { contact, deviceId }),
    };
    this.#registered = { device, tokens: new TokenSource(this.#api, self, identity, this.#now) };
    return this.#registered;
  }

  #onFrame(frame: ServerFrame): void {
    this.#queue.run(() => this.#handleFrame(frame)).catch((error: unknown) => {
      this.events.emit('error', isClientError(error) ? error : new ClientError('PROTOCOL_ERROR', 'failed to handle a server frame'));
    });
  }

  async #handleFrame(frame: ServerFrame): Promise<void> {
    switch (frame.type) {
      case 'message':
        return this.#handleMessage(frame);
      case 'stored':
        return this.#delivery.handleStored(frame);
      case 'error':
        if (!(await this.#delivery.handleError(frame))) {
          this.events.emit('error', new ClientError('PROTOCOL_ERROR', `the server reported ${frame.code}: ${frame.message}`, { serverCode: frame.code }));
        }
        return;
      case 'prekeys-low':
        return this.#refillInBackground(frame);
      case 'ready':
        return this.#handleReady(frame);
    }
  }

  async #handleMessage(frame: MessageFrame): Promise<void> {
    const outcome = await receiveEnvelope(this.#registeredState().device, frame);
    // Stored (or known) first, acked second: a crash in between only means a repeat, which is dropped.
    this.#connection?.send({ type: 'ack', ids: [frame.id] });
    this.#report(outcome);
  }

  #report(outcome: IncomingOutcome): void {
    if (outcome.kind === 'message') this.events.emit('message', outcome.entry);
    if (outcome.kind === 'undecryptable') this.events.emit('undecryptable', outcome.entry);
    if (outcome.kind === 'held') this.events.emit('held', { id: outcome.id, contact: outcome.contact, deviceId: outcome.deviceId });
  }

  async #handleReady(frame: Extract<ServerFrame, { type: 'ready' }>): Promise<void> {
    const { self } = this.#registeredState().device;
    if (frame.username !== self.username) {
      this.events.emit('error', new ClientError('PROTOCOL_ERROR', `logged in as ${self.username}, the server says ${frame.username}`));
    }
    await this.#delivery.flush();
    if (frame.prekeys.low) this.#refillInBackground(frame.prekeys);
    await pruneSeen(this.#options.store);
    this.#ready.resolveAll();
    this.events.emit('ready', { username: self.username, deviceId: self.deviceId });
  }

  #refillInBackground(counts: { oneTimePreKeys: number; kemPreKeys: number }): void {
    this.#refilling ??= this.refillPreKeys(counts)
      .catch((error: unknown) => this.events.emit('error', isClientError(error) ? error : new ClientError('PROTOCOL_ERROR', 'prekey refill failed')))
      .finally(() => (this.#refilling = null));
  }

  #onConnectionError(error: ClientError, fatal: boolean): void {
    this.events.emit('error', error);
    if (!fatal) return;
    this.#ready.rejectAll(error);
    this.#delivery.abort(error);
  }
}
