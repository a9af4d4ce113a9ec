/**
 * The relay: store, forward, forget. An envelope is committed to the mailbox
 * (with its metadata-log row) before its sender hears "stored"; it is pushed to
 * the recipient's device at once if connected, or when it connects; it is
 * deleted when the recipient acknowledges it. Unacknowledged envelopes are
 * pushed again on the next connection: delivery is at least once, and clients
 * drop ids they have seen.
 *
 * Throughput: sends and acks from every connection are queued and committed
 * together, one transaction per turn of the event loop ("group commit"), so the
 * cost of a commit is shared by everything that arrived meanwhile.
 *
 * The relay never looks inside a body beyond its first byte, the framing type,
 * which tells a conversation's first messages from the rest. It could not do
 * more: nothing in server/ can decrypt.
 */
import type { ServerFrameWire } from '../../shared/protocol/ws.js';
import { toBase64Url } from '../../shared/crypto/bytes.js';
import { ServerError } from '../errors.js';
import type { AccountsRepo } from '../storage/accounts-repo.js';
import type { EnvelopeKind, MailboxRepo, NewEnvelope } from '../storage/mailbox-repo.js';
import type { AuthenticatedDevice } from './auth.js';
import { RateLimiter, type RateLimit } from './rate-limit.js';

export interface RelayConnection {
  readonly device: AuthenticatedDevice;
  push(frame: ServerFrameWire): void;
  close(code: number, reason: string): void;
}

export interface RelayOptions {
  /** Sends per device. */
  readonly sendLimit: RateLimit;
  /** Envelopes waiting for one device at most; beyond, new sends to it are refused. */
  readonly maxMailbox: number;
  /** Envelopes pushed to a connection and not yet acknowledged, at most. */
  readonly window: number;
  /** Sends queued for the next commit, at most, across all connections. */
  readonly maxQueued: number;
}

export const DEFAULT_RELAY_OPTIONS: RelayOptions = {
  sendLimit: { perSecond: 200, burst: 500 },
  maxMailbox: 10_000,
  window: 256,
  maxQueued: 20_000,
};

/** An envelope as it passes, for the operator's live view: metadata and a ciphertext preview, nothing else. */
export interface PassingEnvelope {
  readonly seq: number;
  readonly messageId: string;
  readonly sender: string | null;
  readonly senderDevice: number | null;
  readonly recipient: string;
  readonly recipientDevice: number;
  readonly sentAt: number;
  readonly size: number;
  readonly kind: EnvelopeKind;
  readonly preview: string;
}

/** Close code when a device connects again elsewhere. */
export const CLOSE_REPLACED = 4409;
const PREVIEW_BYTES = 24;

export function envelopeKind(body: Uint8Array): EnvelopeKind {
  if (body[0] === 0x02) return 'session-start';
  if (body[0] === 0x01) return 'message';
  return 'unknown';
}

interface Queued {
  readonly envelope: NewEnvelope;
  readonly resolve: (result: { storedAt: number; duplicate: boolean }) => void;
  readonly reject: (error: Error) => void;
}

interface ConnectionState {
  readonly connection: RelayConnection;
  lastPushedSeq: number;
  readonly inFlight: Set<string>;
  /** True once the backlog has been pushed and `ready` sent. */
  ready: boolean;
  /** Envelopes are waiting in the mailbox that were not pushed (window full). */
  behind: boolean;
  /** Builds the `ready` frame, sent once the backlog has been pushed. */
  readonly readyFrame: () => ServerFrameWire;
}

const deviceKey = (username: string, deviceId: number) => `${username}\u0000${deviceId}`;

export class RelayService {
  private queue: Queued[] = [];
  private readonly queuedKeys = new Map<string, Promise<{ storedAt: number; duplicate: boolean }>>();
  private acks: { recipient: string; recipientDevice: number; messageId: string }[] = [];
  private flushScheduled = false;
  private readonly connections = new Map<string, ConnectionState>();
  private readonly sendLimiter: RateLimiter;
  private readonly passingListeners = new Set<(envelope: PassingEnvelope) => void>();

  constructor(
    private readonly mailbox: MailboxRepo,
    private readonly accounts: AccountsRepo,
    private readonly options: RelayOptions = DEFAULT_RELAY_OPTIONS,
    private readonly log: (line: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {
    this.sendLimiter = new RateLimiter(options.sendLimit, now);
  }

  /** Resolves once the envelope is committed (or was already stored under this id). */
  submit(
    sender: AuthenticatedDevice | null,
    message: { id: string; to: string; toDevice: number; body: Uint8Array },
  ): Promise<{ storedAt: number; duplicate: boolean }> {
    const senderKey = sender ? deviceKey(sender.username, sender.deviceId) : null;
    if (senderKey && !this.sendLimiter.tryTake(senderKey)) {
      return Promise.reject(new ServerError('RATE_LIMITED', 'sending too fast: slow down and resend'));
    }
    if (!this.accounts.device(message.to, message.toDevice)) {
      return Promise.reject(new ServerError('UNKNOWN_RECIPIENT', `no device ${message.toDevice} for "${message.to}"`));
    }
    const key = `${deviceKey(message.to, message.toDevice)}\u0000${message.id}`;
    const queued = this.queuedKeys.get(key);
    if (queued) return queued.then((r) => ({ ...r, duplicate: true }));
    const storedAt = this.mailbox.alreadyStored(message.to, message.toDevice, message.id);
    if (storedAt !== undefined) return Promise.resolve({ storedAt, duplicate: true });
    if (this.queue.length >= this.options.maxQueued) {
      return Promise.reject(new ServerError('RATE_LIMITED', 'the server is busy: resend shortly'));
    }
    if (this.mailbox.pendingCount(message.to, message.toDevice) >= this.options.maxMailbox) {
      return Promise.reject(new ServerError('RATE_LIMITED', `"${message.to}" has too many undelivered messages: try later`));
    }
    const envelope: NewEnvelope = {
      messageId: message.id,
      sender: sender?.username ?? null,
      senderDevice: sender?.deviceId ?? null,
      recipient: message.to,
      recipientDevice: message.toDevice,
      body: message.body,
      kind: envelopeKind(message.body),
      storedAt: this.now(),
    };
    const promise = new Promise<{ storedAt: number; duplicate: boolean }>((resolve, reject) => {
      this.queue.push({ envelope, resolve, reject });
    });
    this.queuedKeys.set(key, promise);
    this.scheduleFlush();
    return promise;
  }

  /** The recipient has these envelopes: delete them (only its own). */
  acknowledge(device: AuthenticatedDevice, messageIds: readonly string[]): void {
    const state = this.connections.get(deviceKey(device.username, device.deviceId));
    for (const messageId of messageIds) {
      this.acks.push({ recipient: device.username, recipientDevice: device.deviceId, messageId });
      state?.inFlight.delete(messageId);
    }
    this.scheduleFlush();
  }

  /** A device connected and authenticated: push its backlog, then `ready`. */
  attach(connection: RelayConnection, readyFrame: () => ServerFrameWire): void {
    const key = deviceKey(connection.device.username, connection.device.deviceId);
    const previous = this.connections.get(key);
    if (previous) previous.connection.close(CLOSE_REPLACED, 'this device connected again elsewhere');
    const state: ConnectionState = { connection, lastPushedSeq: 0, inFlight: new Set(), ready: false, behind: true, readyFrame };
    this.connections.set(key, state);
    this.pump(state);
  }

  detach(connection: RelayConnection): void {
    const key = deviceKey(connection.device.username, connection.device.deviceId);
    if (this.connections.get(key)?.connection === connection) this.connections.delete(key);
  }

  /** Pushes a frame to a device if it is connected (e.g. "prekeys low"). */
  notify(username: string, deviceId: number, frame: ServerFrameWire): void {
    this.connections.get(deviceKey(username, deviceId))?.connection.push(frame);
  }

  isOnline(username: string, deviceId: number): boolean {
    return this.connections.has(deviceKey(username, deviceId));
  }

  onPassing(listener: (envelope: PassingEnvelope) => void): () => void {
    this.passingListeners.add(listener);
    return () => this.passingListeners.delete(listener);
  }

  /** Commits whatever is queued now (also used on shutdown). */
  flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    const acks = this.acks;
    this.queue = [];
    this.acks = [];
    if (acks.length > 0) {
      try {
        this.mailbox.ackBatch(acks, this.now());
      } catch (error) {
        this.log(`relay: failed to apply ${acks.length} acks: ${(error as Error).message}`);
      }
      for (const ack of new Set(acks.map((a) => deviceKey(a.recipient, a.recipientDevice)))) {
        const state = this.connections.get(ack);
        if (state?.behind) this.pump(state);
      }
    }
    if (batch.length === 0) return;
    let positions: { seq: number; metadataSeq: number }[];
    try {
      positions = this.mailbox.storeBatch(batch.map((q) => q.envelope));
    } catch (error) {
      this.log(`relay: failed to store ${batch.length} envelopes: ${(error as Error).message}`);
      for (const q of batch) {
        this.queuedKeys.delete(`${deviceKey(q.envelope.recipient, q.envelope.recipientDevice)}\u0000${q.envelope.messageId}`);
        q.reject(new ServerError('INTERNAL', 'the server could not store the message: resend it'));
      }
      return;
    }
    batch.forEach((q, i) => {
      this.queuedKeys.delete(`${deviceKey(q.envelope.recipient, q.envelope.recipientDevice)}\u0000${q.envelope.messageId}`);
      q.resolve({ storedAt: q.envelope.storedAt, duplicate: false });
      this.deliverLive(q.envelope, positions[i]!.seq);
      this.announce(q.envelope, positions[i]!.metadataSeq);
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private deliverLive(envelope: NewEnvelope, seq: number): void {
    const state = this.connections.get(deviceKey(envelope.recipient, envelope.recipientDevice));
    if (!state) return;
    if (!state.ready || state.behind || state.inFlight.size >= this.options.window || seq <= state.lastPushedSeq) {
      state.behind = true;
      return;
    }
    this.pushMessage(state, {
      seq,
      messageId: envelope.messageId,
      sender: envelope.sender,
      senderDevice: envelope.senderDevice,
      body: envelope.body,
      storedAt: envelope.storedAt,
    });
  }

  /** Pushes mailbox envelopes the connection has not seen, up to the window; sends `ready` once caught up. */
  private pump(state: ConnectionState): void {
    const { username, deviceId } = state.connection.device;
    while (state.inFlight.size < this.options.window) {
      const room = this.options.window - state.inFlight.size;
      const rows = this.mailbox.pending(username, deviceId, state.lastPushedSeq, room);
      for (const row of rows) this.pushMessage(state, row);
      if (rows.length < room) {
        state.behind = false;
        if (!state.ready) {
          state.ready = true;
          state.connection.push(state.readyFrame());
        }
        return;
      }
    }
    state.behind = true;
  }

  private pushMessage(
    state: ConnectionState,
    row: { seq: number; messageId: string; sender: string | null; senderDevice: number | null; body: Uint8Array; storedAt: number },
  ): void {
    state.lastPushedSeq = row.seq;
    state.inFlight.add(row.messageId);
    state.connection.push({
      type: 'message',
      id: row.messageId,
      from: row.sender,
      fromDevice: row.senderDevice,
      sentAt: row.storedAt,
      body: toBase64Url(row.body),
    });
  }

  private announce(envelope: NewEnvelope, metadataSeq: number): void {
    if (this.passingListeners.size === 0) return;
    const passing: PassingEnvelope = {
      seq: metadataSeq,
      messageId: envelope.messageId,
      sender: envelope.sender,
      senderDevice: envelope.senderDevice,
      recipient: envelope.recipient,
      recipientDevice: envelope.recipientDevice,
      sentAt: envelope.storedAt,
      size: envelope.body.length,
      kind: envelope.kind,
      preview: toBase64Url(envelope.body.subarray(0, PREVIEW_BYTES)),
    };
    for (const listener of this.passingListeners) listener(passing);
  }
}
