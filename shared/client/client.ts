/**
 * EnvelopeClient: the headless client the CLI, the web app and the tests
 * drive. It wires the messaging steps (outgoing.ts, incoming.ts,
 * key-change.ts, safety.ts) to the server (server-api.ts over HTTP,
 * connection.ts over WebSocket) and reports what happens as events.
 *
 * Every step that reads and replaces stored state runs on one SerialQueue, so
 * a send and a receive never race on the same session; and the client owns its
 * profile (ownership.ts): opening one claims it, every write is fenced, and a
 * client whose profile another one claimed since (a second browser tab) can no
 * longer write anything. It stops, and says so with 'ownership-lost'.
 *
 * For the web app it also keeps what a chat screen shows: sent history with
 * delivery states (history.ts), conversations (conversation-view.ts), the
 * X-ray of a message (xray.ts), and the key-reset demo (key-reset.ts).
 *
 * This file is the app's API; the reaction to server frames (and the
 * background work they start: refills, delivery receipts, session
 * resets) is client-frames.ts.
 */
import { cryptoReady } from '@envelope/crypto-public';
import type { IdentityKeyPair } from '@envelope/crypto';
import { type BundleResponse, type PolicyAnnouncement, type PreKeyStatus, type StoredEnvelope, type FiledReport, type ReportReason, type ClientFrameWire, isUsername, type MessageId, type Username } from '@envelope/protocol';
import { loadSelf, registerAccount, type RegisterOptions } from './account.js';
import { TokenSource } from './auth.js';
import type { ClientEvents } from './client-events.js';
import { createDelivery, FrameHandler } from './client-frames.js';
import type { AccountName, EnvelopeClientOptions, PendingSend, Registered, SendResult } from './client-types.js';
import { Connection, type ConnectionStatus } from './connection.js';
import { loadContactSummaries, type ContactSummary } from './contacts.js';
import { ConversationIndex, removeFromHistory, type ConversationEntry } from './conversation-view.js';
import type { Delivery } from './delivery.js';
import { orderCounter, type DeviceContext } from './device.js';
import { ClientError, isClientError } from './errors.js';
import { Emitter } from './events.js';
import { loadSentByEnvelope } from './history.js';
import { loadInbox, markInboxRead, type InboxEntry, type IncomingOutcome } from './incoming.js';
import { loadHeld, trustNewKey } from './key-change.js';
import { resetIdentity } from './key-reset.js';
import { loadIdentity, type SelfRecord } from './key-storage.js';
import { assertContactName, ensureSessions, loadOutbox, prepareTextMessage, type OutboxEntry, type RogueAccessField } from './outgoing.js';
import { generatePreKeyRefill } from './own-prekeys.js';
import { PolicyState, type SendingMode } from './policy.js';
import { claimOwnership, OwnedStore, type OwnerRecord } from './ownership.js';
import { rotateOwnPreKeys, type RotatedPreKeys } from './prekey-rotation.js';
import { sealInside, trialSearch, type RogueSendOptions, type RogueSearchProgress } from './rogue.js';
import { computeSafetyNumber, markVerified, type SafetyNumber } from './safety.js';
import { contactAccessKey, ensureAccessKeyRegistered } from './profile-key.js';
import { reportMessage } from './report.js';
import { currentCertificate, loadSettings, pinnedServerKey, saveSettings, type ClientSettings } from './sealed.js';
import { SerialQueue } from './serial.js';
import { ServerApi } from './server-api.js';
import { ContactKind, InboxKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';
import { Waiters } from './waiters.js';
import { webSocketUrl } from './websocket.js';
import { loadXRay, type XRay } from './xray.js';

export type { EnvelopeClientOptions, PendingSend, SendResult } from './client-types.js';

export class EnvelopeClient {
  readonly events = new Emitter<ClientEvents>();
  readonly #options: EnvelopeClientOptions;
  /** The profile's store, as its owner: every put fenced with our epoch (ownership.ts). */
  readonly #store: OwnedStore;
  /** Every conversation, kept current from the puts above rather than reread on each refresh. */
  readonly #conversations: ConversationIndex;
  readonly #serverUrl: string;
  readonly #api: ServerApi;
  readonly #now: () => number;
  readonly #queue = new SerialQueue();
  readonly #delivery: Delivery;
  readonly #frames: FrameHandler;
  #registered: Registered | null = null;
  #connection: Connection | null = null;
  /** Settles (never rejects) when a running resetKeys() has finished, either way. */
  #resetting: Promise<void> | null = null;
  readonly #ready = new Waiters<ClientError>();
  #closed = false;
  /** The server's sender-certificate key, once loaded (before the socket opens). */
  #serverKey: Uint8Array | null = null;
  /** The server's policy mode, as last announced (policy.ts). */
  readonly #policy: PolicyState;

  private constructor(options: EnvelopeClientOptions, serverUrl: string, self: SelfRecord | null, owner: OwnerRecord) {
    this.#options = options;
    this.#store = new OwnedStore(
      options.store,
      owner,
      (error) => this.#lostOwnership(error),
      (entries) => this.#conversations.committed(entries),
    );
    this.#conversations = new ConversationIndex(this.#store);
    this.#serverUrl = serverUrl;
    this.#api = new ServerApi(serverUrl, options.fetch);
    this.#now = options.now ?? Date.now;
    this.#policy = new PolicyState(
      () => this.#api.policy(),
      (announcement) => this.events.emit('policy', announcement),
    );
    const send = (frame: ClientFrameWire) => this.#connection?.send(frame) ?? false;
    const postSealed = (entry: OutboxEntry) =>
      this.#api.postSealed(
        {
          id: entry.id,
          to: entry.to,
          toDevice: entry.toDevice,
          body: entry.body,
          ...(entry.commitment ? { commitment: entry.commitment } : {}),
          ...(entry.mode ? { mode: entry.mode } : {}),
        },
        entry.accessKey,
      );
    this.#delivery = createDelivery(this.#store, this.events, send, postSealed, () => this.#closed);
    this.#frames = new FrameHandler({
      events: this.events,
      store: this.#store,
      queue: this.#queue,
      delivery: this.#delivery,
      ready: this.#ready,
      registered: () => this.#registeredState(),
      send,
      policy: this.#policy,
      fetchBundle: (name) => this.#fetchBundle(name),
      senderCertificate: () => this.#senderCertificate(),
      refillPreKeys: (counts) => this.refillPreKeys(counts),
      rotatePreKeys: () => this.rotatePreKeys(),
      closed: () => this.#closed,
    });
    if (self?.registered) this.#adopt(self, loadIdentity(self.identity));
  }

  /**
   * Loads the profile in `store` (registered or not), and takes it over: a
   * client that had it open before can no longer change it (ownership.ts).
   * The shell decides whether taking over is wanted (a browser tab asks the
   * user first). Loads libsodium first.
   */
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
    const owner = await claimOwnership(options.store, (options.now ?? Date.now)());
    return new EnvelopeClient(options, serverUrl, self, owner);
  }

  /** This profile's account, or null before register(). */
  get account(): AccountName | null {
    const self = this.#registered?.device.self;
    return self ? { username: self.username, deviceId: self.deviceId } : null;
  }

  /** The server this client talks to. */
  get serverUrl(): string {
    return this.#serverUrl;
  }

  /**
   * The server's policy mode as last announced (its `policy` frame, or
   * refreshPolicy()); null until one is known. Its `mode` may be one this app
   * does not know: then nothing is sent (UNKNOWN_POLICY_MODE).
   */
  get policy(): PolicyAnnouncement | null {
    return this.#policy.current;
  }

  /** Asks the server for its policy mode now (GET /api/policy); fires 'policy'. */
  refreshPolicy(): Promise<PolicyAnnouncement> {
    return this.#policy.fetch();
  }

  get status(): ConnectionStatus {
    return this.#connection?.status ?? 'offline';
  }

  async register(username: string, options: RegisterOptions = {}): Promise<AccountName> {
    const { self, identity, granted } = await this.#queue.run(() =>
      registerAccount(this.#store, this.#api, this.#serverUrl, username, options, this.#now),
    );
    this.#adopt(self, identity).tokens.adopt(granted);
    await this.#loadServerKey(); // pinned now, with the account, rather than at the first connect
    return { username: self.username, deviceId: self.deviceId };
  }

  /** False once another client took this profile over: this one no longer sends or receives. */
  get ownsProfile(): boolean {
    return !this.#store.lost;
  }

  /** Opens the WebSocket and keeps it open (reconnecting) until close(). */
  connect(): void {
    this.#registeredState();
    if (this.#closed) throw new ClientError('CLOSED', 'the client is closed');
    if (this.#store.lost) throw new ClientError('NOT_OWNER', 'this profile was taken over by another client');
    this.#connection ??= new Connection({
      url: webSocketUrl(this.#serverUrl),
      WebSocket: this.#options.WebSocket,
      getToken: async (fresh) => {
        // The server closes our socket when it replaces our key: a reconnect
        // waits for resetKeys to adopt the new key, and reads the token source
        // it made (logging in with the old key would fail, fatally).
        await this.#resetting;
        // Still ours? A client that was taken over stops here rather than
        // reconnecting, which would push the owner's socket off the server.
        await this.#store.assertOwner();
        // Sealed messages may be in the backlog: know the server's certificate key before any arrives.
        await this.#loadServerKey();
        const token = await this.#registeredState().tokens.token(fresh);
        // A profile made before access keys existed (or whose upload was lost) gives the server ours now.
        // Not a reason to stay offline: until it lands, only sealed messages to us are refused, and the next connection tries again.
        await ensureAccessKeyRegistered(this.#store, (accessKey) => this.#api.uploadAccessKey({ accessKey }, token)).catch((error: unknown) => {
          if (isClientError(error)) this.events.emit('error', error);
          else throw error;
        });
        return token;
      },
      onFrame: (frame) => this.#frames.onFrame(frame),
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
  enqueue(to: string, text: string): Promise<PendingSend> {
    return this.#enqueue(to, text);
  }

  /**
   * The rogue-client demonstration (Blaze, 1994), for key-escrow only: like
   * enqueue, but `rogue` makes the access field instead of the compliant
   * builder, from this message's key (say, @envelope/crypto forgeAccessField
   * in chunks, timed on screen). It runs inside the client's queue; returning
   * null gives up, and then nothing is stored or sent (INVALID_ARGUMENT).
   * Under any other mode: INVALID_ARGUMENT, nothing encrypted.
   */
  enqueueRogue(to: string, text: string, rogue: RogueAccessField): Promise<PendingSend> {
    return this.#enqueue(to, text, rogue);
  }

  async #enqueue(to: string, text: string, rogue?: RogueAccessField): Promise<PendingSend> {
    const { device } = this.#registeredState();
    // The mode decides how it is encrypted: known first (a request, outside the queue), refused if unknown (fail closed).
    await this.#policy.confirmBeforeText();
    this.#policy.sendingMode();
    const { sealedSender } = await loadSettings(this.#store);
    // Sealed only to someone who has written to us: the server asks for their access key (profile-key.ts).
    const accessKey = sealedSender && isUsername(to) ? await contactAccessKey(this.#store, to) : undefined;
    const sealWith = accessKey === undefined ? undefined : { certificate: await this.#senderCertificate(), accessKey };
    const { messageId, envelopes } = await this.#queue.run(() =>
      // The mode as of now, inside the queue: exactly what it is encrypted under, and what its outbox entry records.
      prepareTextMessage(device, to, text, (name) => this.#fetchBundle(name), { ...(sealWith ? { sealWith } : {}), mode: rogueMode(this.#policy.sendingMode(), rogue), ...(rogue ? { rogue } : {}) }),
    );
    const stored = Promise.all(envelopes.map((envelope) => this.#delivery.waitFor(envelope.id))).then(
      (times): SendResult => ({ id: messageId, to: to as Username, storedAt: Math.max(...times) }),
    );
    // The caller may only ever look at `id`: a rejection must not go unhandled.
    stored.catch(() => undefined);
    this.events.emit('conversation', { contact: to as Username });
    this.#delivery.transmit(envelopes);
    return {
      id: messageId,
      to: to as Username,
      stored,
      // What was really done: key escrow sends signed in whatever was asked (outgoing.ts).
      sealed: envelopes[0]?.sealed === true,
      ...(sealedSender && envelopes[0]?.sealed !== true
        ? { unsealedBecause: envelopes[0]?.mode === 'key-escrow' ? ('key-escrow' as const) : ('recipient-never-wrote' as const) }
        : {}),
    };
  }

  /**
   * The rogue-client demonstration (rogue.ts; never a compliant send): under
   * key escrow, sends `text` with a forged access field found by trial, which
   * the recipient's check accepts and the escrow opens to nothing. Resolves
   * when the search ends: sent (with the server's confirmation to come, as
   * enqueue), or stopped by the budget or the signal with nothing sent.
   * INVALID_ARGUMENT outside key escrow (there is no field to forge).
   */
  async sendAsRogue(
    to: string,
    text: string,
    options: RogueSendOptions,
  ): Promise<{ outcome: 'sent'; pending: PendingSend; progress: RogueSearchProgress } | { outcome: 'budget-spent' | 'cancelled'; progress: RogueSearchProgress }> {
    // The compliant send's own path (enqueueRogue), with the trial search standing in for the field builder.
    const search = trialSearch(options);
    try {
      const pending = await this.enqueueRogue(to, text, search.forge);
      return { outcome: 'sent', pending, progress: search.progress() };
    } catch (error) {
      // The search stopped (budget or signal): nothing was stored or sent, and no session moved on.
      const stopped = search.stopped();
      if (stopped !== null && isClientError(error, 'INVALID_ARGUMENT')) return { outcome: stopped, progress: search.progress() };
      throw error;
    }
  }

  async sendEncryptedInside(to: string, text: string): Promise<PendingSend & { readonly sentText: string }> {
    const sentText = sealInside(text);
    return { ...(await this.enqueue(to, sentText)), sentText };
  }

  /** This device's settings (sealed.ts). */
  settings(): Promise<ClientSettings> {
    return loadSettings(this.#store);
  }

  /**
   * Sealed sender on or off for messages sent from now on: when on, the server
   * is not told who sends them (it still sees the recipient, the time, the size
   * and the network address). Only to people who have written to us: to anyone
   * else a message still carries our name (PendingSend.unsealedBecause), as the
   * server refuses strangers' sealed envelopes. Receipts for what arrived
   * sealed, and all our receipts while it is on, go sealed too (receipts.ts).
   */
  setSealedSender(on: boolean): Promise<ClientSettings> {
    return saveSettings(this.#store, { sealedSender: on });
  }

  /** Received messages (and reports of unreadable ones), oldest first: the device's history, or only what is unread. */
  messages(options: { unreadOnly?: boolean } = {}): Promise<InboxEntry[]> {
    return loadInbox({ store: this.#store }, options);
  }

  /** Marks messages as shown, so `messages({ unreadOnly: true })` no longer lists them. */
  markRead(ids: readonly MessageId[]): Promise<void> {
    return this.#queue.run(() => markInboxRead({ store: this.#store }, ids));
  }

  /** Deletes messages (received or sent) from this device's history. */
  async removeMessages(ids: readonly MessageId[]): Promise<void> {
    const contacts = await this.#queue.run(() => removeFromHistory(this.#store, ids));
    for (const contact of contacts) this.events.emit('conversation', { contact });
  }

  /**
   * The conversation with `contact`, oldest first: what we sent (with its
   * delivery state) and what we received (read, held or unreadable). Ask again
   * on every 'conversation' event for that contact: after the first call it is
   * kept current in memory from this client's own writes (conversation-view.ts),
   * so asking reads nothing from the store.
   */
  conversation(contact: string): Promise<ConversationEntry[]> {
    if (!isUsername(contact)) return Promise.reject(new ClientError('INVALID_ARGUMENT', `"${contact}" is not a valid username`));
    return this.#conversations.conversation(contact);
  }

  /** What one message looked like on the way (see xray.ts); null for an unknown, held or unreadable message. */
  xray(id: MessageId): Promise<XRay | null> {
    return loadXRay(this.#store, id);
  }

  /**
   * The server's own row for an envelope we sent or received (GET /api/envelopes/:id); NOT_FOUND if it has none.
   * For one we sent sealed, the server does not know we sent it, and asking with our token would tell it:
   * that row is asked for with no token, by its id and recipient (GET /api/envelopes/:id/sealed).
   */
  async storedEnvelope(envelopeId: MessageId): Promise<StoredEnvelope> {
    const { tokens } = this.#registeredState();
    const sent = await loadSentByEnvelope(this.#store, envelopeId);
    const sealed = sent?.sealed ? sent.envelopes.find((e) => e.id === envelopeId) : undefined;
    if (sent && sealed) return this.#api.storedSealedEnvelope(envelopeId, sent.to, sealed.toDevice);
    return tokens.authed((token) => this.#api.storedEnvelope(envelopeId, token));
  }

  /**
   * Reports a message we received to the server's moderators (report.ts): the
   * server sees that message's text, sender and time, and nothing else of the
   * conversation. NOT_REPORTABLE for a message that was not read here;
   * REPORT_REJECTED if the server's checks fail. The conversation then shows it as reported.
   */
  async report(id: MessageId, reason: ReportReason = 'other'): Promise<FiledReport> {
    const { tokens } = this.#registeredState();
    const filed = await reportMessage(this.#store, id, reason, (request) => tokens.authed((token) => this.#api.report(request, token)), this.#now());
    const entry = await readRecord(this.#store, InboxKind, keys.inbox(id));
    if (entry?.from) this.events.emit('conversation', { contact: entry.from });
    return filed;
  }

  /**
   * "I reinstalled the app": a new identity key and fresh prekeys for this
   * device (key-reset.ts). Every session is dropped, so contacts see a key
   * change (and hold our messages) until they trust the new key. If the
   * server refuses, the old identity stays in use; if it cannot be reached,
   * calling resetKeys() again finishes or replaces the attempt.
   */
  async resetKeys(): Promise<void> {
    this.#registeredState();
    const run = this.#queue.run(async () => {
      const { tokens } = this.#registeredState();
      // The stored record, not the one adopted at start-up: refills and rotations have moved its id counters on.
      const self = await this.#storedSelf();
      const reset = await resetIdentity(this.#store, this.#api, (request) => tokens.authed(request), self, this.#now());
      this.#adopt(reset.self, reset.identity).tokens.adopt(reset.granted);
      // The cached sender certificate names the old identity key: recipients would refuse it.
      await this.#store.put({ [keys.senderCertificate]: undefined });
      return reset.self;
    });
    const resetting = run.then(() => undefined, () => undefined);
    this.#resetting = resetting;
    try {
      const self = await run;
      // A connection that gave up on the old key (an earlier attempt landed unheard) starts again with the new one.
      if (this.#connection && !this.#closed) this.#connection.start();
      this.events.emit('keys-reset', { username: self.username, deviceId: self.deviceId });
    } finally {
      if (this.#resetting === resetting) this.#resetting = null;
    }
  }

  /** Envelopes sent but not yet confirmed stored. */
  outbox(): Promise<OutboxEntry[]> {
    return loadOutbox({ store: this.#store });
  }

  /** How many messages are held for a contact (or for everyone) until trustNewKey. */
  async heldCount(contact?: string): Promise<number> {
    return (await loadHeld({ store: this.#store }, contact as Username | undefined)).length;
  }

  async contacts(): Promise<ContactSummary[]> {
    return loadContactSummaries(this.#store);
  }

  /** The safety number with `contact`; fetches their keys first if we have never talked. */
  async safetyNumber(contact: string): Promise<SafetyNumber> {
    const { device } = this.#registeredState();
    assertContactName(contact, device.self.username);
    const known = await readRecord(this.#store, ContactKind, keys.contact(contact));
    if (known === undefined) await this.#queue.run(() => ensureSessions(device, contact, (name) => this.#fetchBundle(name)));
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
    outcomes.forEach((outcome) => this.#frames.report(outcome));
    // A released session-reset was consumed silently: callers count messages.
    return outcomes.filter((outcome): outcome is IncomingOutcome => outcome.kind !== 'control' && outcome.kind !== 'dropped');
  }

  /** Tops up one-time prekeys on the server (done automatically when the server says they run low). */
  async refillPreKeys(counts?: { oneTimePreKeys: number; kemPreKeys: number }): Promise<PreKeyStatus | null> {
    const { tokens } = this.#registeredState();
    const current = counts ?? (await tokens.authed((token) => this.#api.preKeyStatus(token)));
    const refill = await this.#queue.run(async () => {
      const self = await this.#storedSelf();
      // The identity as of now, inside the queue: a resetKeys() before this point replaced it.
      const generated = generatePreKeyRefill(self, this.#registeredState().device.identity, current);
      if (generated) await this.#store.put(generated.entries);
      return generated;
    });
    if (!refill) return null;
    const status = await this.#registeredState().tokens.authed((token) => this.#api.uploadPreKeys(refill.upload, token));
    this.events.emit('prekeys-refilled', status);
    return status;
  }

  /**
   * Replaces the signed prekey and the last-resort KEM prekey when they have
   * been handed out for PREKEY_ROTATION_INTERVAL_MS, and deletes replaced ones
   * whose grace period is over (prekey-rotation.ts). Done automatically at
   * every 'ready' and prekey refill; null when no rotation was due.
   */
  async rotatePreKeys(): Promise<RotatedPreKeys | null> {
    this.#registeredState();
    const rotated = await rotateOwnPreKeys({
      store: this.#store,
      queue: this.#queue,
      now: this.#now,
      loadSelf: () => this.#storedSelf(),
      identity: () => this.#registeredState().device.identity,
      // The token source as of the upload: a resetKeys() meanwhile replaced it.
      upload: (upload) => this.#registeredState().tokens.authed((token) => this.#api.uploadPreKeys(upload, token)),
    });
    if (rotated) this.events.emit('prekeys-rotated', rotated);
    return rotated;
  }

  /** Lets queued work finish, closes the connection, and fails sends still waiting (their envelopes stay in the outbox). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.idle();
    this.#connection?.stop();
    await this.#queue.idle();
    await this.#frames.settled();
    const error = new ClientError('CLOSED', 'the client was closed');
    this.#delivery.abort(error);
    this.#ready.rejectAll(error);
  }

  async #storedSelf(): Promise<SelfRecord> {
    const self = await loadSelf(this.#store);
    if (!self) throw new ClientError('NOT_REGISTERED', 'the profile has no account');
    return self;
  }

  #registeredState(): Registered {
    if (!this.#registered) throw new ClientError('NOT_REGISTERED', 'this profile has no account yet: register first');
    return this.#registered;
  }

  #adopt(self: SelfRecord, identity: IdentityKeyPair): Registered {
    const device: DeviceContext = {
      store: this.#store,
      self,
      identity,
      now: this.#now,
      // Kept across resetKeys, so entries made after a reset still sort after those before it.
      nextOrder: this.#registered?.device.nextOrder ?? orderCounter(this.#now),
      onKeyChange: (contact, deviceId) => this.events.emit('key-changed', { contact, deviceId }),
      serverCertificateKey: () => this.#serverKey,
      // A field narrower than the announced width is refused: a rogue cannot pick 16 bits when 64 are asked.
      escrowCheckBits: () => this.#policy.current?.escrow?.checkBits ?? 16,
    };
    this.#registered = { device, tokens: new TokenSource(this.#api, self, identity, this.#now) };
    return this.#registered;
  }

  async #loadServerKey(): Promise<void> {
    this.#serverKey ??= await pinnedServerKey(this.#store, async () => (await this.#api.info()).senderCertificateKey);
  }

  #senderCertificate(): Promise<Uint8Array> {
    const { tokens } = this.#registeredState();
    return currentCertificate(this.#store, () => tokens.authed((token) => this.#api.senderCertificate(token)), this.#now());
  }

  #fetchBundle(name: Username): Promise<BundleResponse> {
    return this.#registeredState().tokens.authed((token) => this.#api.bundle(name, token));
  }

  /** Another client claimed the profile: stop sending and receiving, fail what waits, and tell the app (once). */
  #lostOwnership(error: ClientError): void {
    this.#connection?.stop();
    this.#delivery.abort(error);
    this.#ready.rejectAll(error);
    this.events.emit('ownership-lost', { error });
  }

  #onConnectionError(error: ClientError, fatal: boolean): void {
    this.events.emit('error', error);
    if (!fatal) return;
    this.#ready.rejectAll(error);
    this.#delivery.abort(error);
  }
}

/** The mode to encrypt under; a rogue field exists only under key-escrow (INVALID_ARGUMENT otherwise, before anything is encrypted). */
function rogueMode(mode: SendingMode, rogue: RogueAccessField | undefined): SendingMode {
  if (rogue !== undefined && mode.mode !== 'key-escrow') {
    throw new ClientError('INVALID_ARGUMENT', `a rogue access field belongs to key escrow; the server's mode is ${mode.mode}`);
  }
  return mode;
}
