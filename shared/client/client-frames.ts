/**
 * What EnvelopeClient does with each server frame, and the background work
 * frames start: a prekey refill ('prekeys-low'), delivery receipts for the
 * messages we stored (receipts.ts) and a session reset (an unreadable message,
 * session-reset.ts). Kept apart from client.ts, which is the app's API; this
 * is the reaction to the server. Every frame is handled on the client's one
 * SerialQueue, in arrival order.
 */
import { isPolicyMode, type BundleResponse, type Username, type ClientFrameWire, type ServerFrame } from '@envelope/protocol';
import type { ClientEvents } from './client-events.js';
import type { Registered } from './client-types.js';
import { Delivery, type DeliveryHooks } from './delivery.js';
import { ClientError, isClientError } from './errors.js';
import type { Emitter } from './events.js';
import { receiveEnvelope, type MessageFrame, type ReceiveOutcome } from './incoming.js';
import { prepareReceipts, receiptsNeedCertificate } from './receipts.js';
import type { PolicyState } from './policy.js';
import { pruneSeen } from './seen.js';
import type { SerialQueue } from './serial.js';
import { isSessionLost, prepareSessionReset, type SessionLostEntry } from './session-reset.js';
import type { ClientStore } from './store.js';
import type { Waiters } from './waiters.js';

/** What the frame handling needs from the client. */
export interface FrameHost {
  readonly events: Emitter<ClientEvents>;
  readonly store: ClientStore;
  readonly queue: SerialQueue;
  readonly delivery: Delivery;
  readonly ready: Waiters<ClientError>;
  /** The account in use (throws NOT_REGISTERED). */
  registered(): Registered;
  /** Writes a frame on the socket; false when there is none usable. */
  send(frame: ClientFrameWire): boolean;
  /** The server's policy mode (policy.ts): every receipt and session reset is encrypted under the one in force. */
  readonly policy: PolicyState;
  fetchBundle(name: Username): Promise<BundleResponse>;
  /** This device's current sender certificate (for sealed receipts). */
  senderCertificate(): Promise<Uint8Array>;
  refillPreKeys(counts: { oneTimePreKeys: number; kemPreKeys: number }): Promise<unknown>;
  rotatePreKeys(): Promise<unknown>;
  closed(): boolean;
}

const asClientError = (error: unknown, message: string) => (isClientError(error) ? error : new ClientError('PROTOCOL_ERROR', message));

/** The outbox's delivery, reporting to the app (control messages excepted: they are not chat). */
export function createDelivery(
  store: ClientStore,
  events: Emitter<ClientEvents>,
  send: (frame: ClientFrameWire) => boolean,
  postSealed: DeliveryHooks['postSealed'],
  closed: () => boolean,
): Delivery {
  return new Delivery(store, {
    send,
    postSealed,
    // Closing can close the store under a post's answer: the entry stays in the outbox, and is sent again on the next start.
    onBackgroundError: (error) => {
      if (!closed()) events.emit('error', asClientError(error, 'handling the answer to a sealed message failed'));
    },
    onStored: (entry, storedAt) => {
      if (entry.control) return;
      events.emit('stored', { id: entry.id, messageId: entry.messageId, to: entry.to, storedAt });
      events.emit('conversation', { contact: entry.to });
    },
    onFailed: (entry, error) => {
      if (entry.control) return;
      events.emit('send-failed', { id: entry.id, messageId: entry.messageId, to: entry.to, error });
      events.emit('conversation', { contact: entry.to });
    },
  });
}

export class FrameHandler {
  #refilling: Promise<unknown> | null = null;
  #rotating: Promise<unknown> | null = null;
  #sendingReceipts: Promise<void> | null = null;
  /** Receipts were added while a round was running: run another after it. */
  #receiptsAgain = false;
  /** Receipts are pending because the mode was one this build does not know: a known one sends them. */
  #receiptsWaitForMode = false;

  constructor(private readonly host: FrameHost) {}

  onFrame(frame: ServerFrame): void {
    if (frame.type === 'policy') return this.#handlePolicy(frame);
    this.host.queue.run(() => this.#handle(frame)).catch((error: unknown) => {
      this.host.events.emit('error', asClientError(error, 'failed to handle a server frame'));
    });
  }

  /**
   * A new policy announcement takes effect at once, not behind the frames
   * queued before it: what is encrypted from now on uses it. Receipts that
   * waited for a mode this build knows go now.
   */
  #handlePolicy(frame: Extract<ServerFrame, { type: 'policy' }>): void {
    const { type: _type, ...announcement } = frame;
    this.host.policy.learn(announcement);
    if (isPolicyMode(announcement.mode) && this.#receiptsWaitForMode) {
      this.#receiptsWaitForMode = false;
      this.sendReceiptsInBackground();
    }
  }

  /** Tells the app what became of a received (or released) message. */
  report(outcome: ReceiveOutcome): void {
    const { events } = this.host;
    // A receipt we could not read (incoming.ts dropsUnreadableReceipt): nothing to show or answer.
    if (outcome.kind === 'dropped') return;
    if (outcome.kind === 'control') {
      // Nothing to show, but a released one left the held list, a notice may have flagged sent
      // messages, and a receipt made some delivered.
      for (const confirmed of outcome.delivered) events.emit('delivered', { ...confirmed, to: outcome.contact, at: outcome.at });
      events.emit('conversation', { contact: outcome.contact });
      return;
    }
    if (outcome.kind === 'message') this.sendReceiptsInBackground();
    if (outcome.kind === 'message') events.emit('message', outcome.entry);
    if (outcome.kind === 'undecryptable') events.emit('undecryptable', outcome.entry);
    if (outcome.kind === 'held') events.emit('held', { id: outcome.id, contact: outcome.contact, deviceId: outcome.deviceId });
    const contact = outcome.kind === 'held' ? outcome.contact : outcome.kind === 'duplicate' ? null : outcome.entry.from;
    if (contact) events.emit('conversation', { contact });
  }

  refillInBackground(counts: { oneTimePreKeys: number; kemPreKeys: number }): void {
    this.#refilling ??= this.host
      .refillPreKeys(counts)
      .catch((error: unknown) => this.host.events.emit('error', asClientError(error, 'prekey refill failed')))
      .finally(() => (this.#refilling = null));
  }

  /** The signed and last-resort KEM prekeys replaced if due, expired old ones deleted (prekey-rotation.ts). */
  rotateInBackground(): void {
    this.#rotating ??= this.host
      .rotatePreKeys()
      .catch((error: unknown) => this.#reportUnlessRetried(error, 'prekey rotation failed'))
      .finally(() => (this.#rotating = null));
  }

  /**
   * Sends the pending receipts (receipts.ts), behind the frames already
   * queued: a backlog of messages is acknowledged in one receipt per sender
   * device. Failures leave them pending; the next 'ready' tries again.
   */
  sendReceiptsInBackground(): void {
    if (this.#sendingReceipts) {
      this.#receiptsAgain = true;
      return;
    }
    const { host } = this;
    this.#sendingReceipts = this.#sendReceipts()
      .catch((error: unknown) => this.#reportUnlessRetried(error, 'failed to send delivery receipts'))
      .finally(() => {
        this.#sendingReceipts = null;
        if (this.#receiptsAgain && !host.closed()) {
          this.#receiptsAgain = false;
          this.sendReceiptsInBackground();
        }
      });
  }

  /** Background work that failed: offline, busy or closing is left for the next 'ready' to retry; anything else is reported. */
  #reportUnlessRetried(error: unknown, what: string): void {
    if (this.host.closed() || isClientError(error, 'SERVER_UNREACHABLE') || isClientError(error, 'RATE_LIMITED')) return;
    this.host.events.emit('error', asClientError(error, what));
  }

  async #sendReceipts(): Promise<void> {
    const { host } = this;
    // The mode and the certificate are fetched outside the queue (each may take a request), then the receipts are made inside it.
    await host.policy.ensureKnown();
    const certificate = (await host.queue.run(() => receiptsNeedCertificate(host.store))) ? await host.senderCertificate() : undefined;
    const envelopes = await host.queue.run(async () => {
      let mode;
      try {
        mode = host.policy.sendingMode();
      } catch (error) {
        // Fail closed: nothing is encrypted; the receipts stay pending until a mode this build knows is announced.
        this.#receiptsWaitForMode = isClientError(error, 'UNKNOWN_POLICY_MODE');
        throw error;
      }
      return prepareReceipts(host.registered().device, certificate, mode);
    });
    host.delivery.transmit(envelopes);
  }

  /** Settles once the background work running now has finished (for close()). */
  async settled(): Promise<void> {
    await this.#rotating;
    await this.#refilling;
    await this.#sendingReceipts;
  }

  async #handle(frame: ServerFrame): Promise<void> {
    switch (frame.type) {
      case 'message':
        return this.#handleMessage(frame);
      case 'stored':
        return this.host.delivery.handleStored(frame);
      case 'error':
        if (!(await this.host.delivery.handleError(frame))) {
          this.host.events.emit('error', new ClientError('PROTOCOL_ERROR', `the server reported ${frame.code}: ${frame.message}`, { serverCode: frame.code }));
        }
        return;
      case 'prekeys-low':
        this.rotateInBackground();
        return this.refillInBackground(frame);
      case 'ready':
        return this.#handleReady(frame);
    }
  }

  async #handleMessage(frame: MessageFrame): Promise<void> {
    const outcome = await receiveEnvelope(this.host.registered().device, frame);
    // Stored (or known) first, acked second: a crash in between only means a repeat, which is dropped.
    this.host.send({ type: 'ack', ids: [frame.id] });
    this.report(outcome);
    if (outcome.kind === 'undecryptable' && isSessionLost(outcome.entry)) this.#resetSessionInBackground(outcome.entry);
  }

  /** Tells the sender, over a new session, that we could not read them (session-reset.ts); queued behind the frames already here. */
  #resetSessionInBackground(lost: SessionLostEntry): void {
    const { queue, events, policy } = this.host;
    queue
      .run(async () => {
        // The server announces its mode before the backlog, so this asks only a server that did not.
        await policy.ensureKnown();
        const envelopes = await prepareSessionReset(this.host.registered().device, lost, (name) => this.host.fetchBundle(name), policy.sendingMode());
        this.host.delivery.transmit(envelopes);
      })
      .catch((error: unknown) => {
        // Their key changed too: the key-change warning is the user's next step, not ours.
        if (isClientError(error, 'KEY_CHANGED')) return;
        events.emit('error', asClientError(error, 'failed to start a new session'));
      });
  }

  async #handleReady(frame: Extract<ServerFrame, { type: 'ready' }>): Promise<void> {
    const { self } = this.host.registered().device;
    if (frame.username !== self.username) {
      this.host.events.emit('error', new ClientError('PROTOCOL_ERROR', `logged in as ${self.username}, the server says ${frame.username}`));
    }
    await this.host.delivery.flush();
    this.rotateInBackground();
    if (frame.prekeys.low) this.refillInBackground(frame.prekeys);
    this.sendReceiptsInBackground(); // any left from before a crash or an outage
    await pruneSeen(this.host.store);
    this.host.ready.resolveAll();
    this.host.events.emit('ready', { username: self.username, deviceId: self.deviceId });
  }
}
