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
 * more: nothing in server/ can decrypt. Beside the body travels the sender's
 * franking commitment, which the relay stamps as it stores the envelope
 * (franking-stamps.ts) so the recipient can report the message verifiably.
 *
 * The exception is an envelope its sender marked with a content-access mode
 * (`mode: 'transport-only'`): the relay hands it to the TransportAdmission port
 * (server/lawful-access, wired in by app.ts), keeps the opened payload for
 * delivery and records what was read in the content log, in the same
 * transaction as the envelope. An envelope without a mode (e2ee) pays one
 * comparison for this, whatever mode the server is in: a message queued
 * before a switch travels under the mode it was encrypted in.
 *
 * key-escrow envelopes are end-to-end encrypted like e2ee ones and stored as
 * they came; the relay checks only that the access field is there and parses
 * (BAD_ACCESS_FIELD otherwise: it cannot check the checkword, which takes the
 * message key), passes the field on, and hands the envelope to the
 * EscrowRetention port inside the same transaction: the server keeps it after
 * delivery (escrow-retention.ts).
 */
import { decodeAccessField, fromBase64Url } from '@envelope/crypto-public';
import { messageFrameJson, type EnvelopeMode, type PolicyMode, type ServerFrameWire } from '@envelope/protocol';
import { ServerError } from '../errors.js';
import type { AccountsRepo } from '../storage/accounts-repo.js';
import type { Ack, EnvelopeKind, MailboxRepo, NewEnvelope, TurnOutcome, WithinTurn } from '../storage/mailbox-repo.js';
import type { FrankingStamper } from './franking-stamps.js';
import { DEDUP_MAX_IDS, DEDUP_WINDOW_MS, RecentIds } from './recent-ids.js';
import type { AuthenticatedDevice } from './auth.js';
import { RateLimiter } from './rate-limit.js';
import { NO_ESCROW_RETENTION, type EscrowRetention, type RetainedEnvelope } from './escrow-retention.js';
import { admitTransport, NO_TRANSPORT_ADMISSION, type ReadContent, type TransportAdmission } from './transport-admission.js';
import {
  CLOSE_REPLACED,
  DEFAULT_RELAY_OPTIONS,
  decodedLength,
  envelopeKind,
  type CommittedEnvelope,
  type DeliveredEnvelope,
  type RelayConnection,
  type RelayObserver,
  type RelayOptions,
  type SubmitHandler,
} from './relay-types.js';


/** What a sender submits: the `send` frame's fields, or POST /api/sealed's (which has no receipt mark). */
interface SubmittedEnvelope {
  readonly id: string;
  readonly to: string;
  readonly toDevice: number;
  readonly body: string;
  readonly commitment?: string | undefined;
  readonly receipt?: boolean | undefined;
  /** The mode its sender encrypted it under; absent: e2ee. */
  readonly mode?: EnvelopeMode | undefined;
  /** key-escrow's access field (base64url). Only read under key-escrow: on any other envelope it is neither stored nor passed on. */
  readonly access?: string | undefined;
}

interface Queued {
  readonly envelope: NewEnvelope;
  /** The recipient device's record, and the envelope's key in the duplicate filter (RecentIds.key), found once at submit. */
  readonly recipient: DeviceState;
  readonly key: string;
  /** The sender's handler, then any resends of the same id that arrived while queued. */
  readonly handlers: SubmitHandler[];
  /** What the server read inside (a content-access mode's envelope), recorded with the envelope. */
  readonly content: ReadContent | undefined;
}

/**
 * What the relay keeps per device, found by name and then number: building a
 * key string for each lookup, and hashing it, cost more than the two lookups
 * (measured: 89 against 32 ns). A record exists once the device is known to
 * exist; devices are never deleted, so it stays true.
 */
interface DeviceState {
  readonly username: string;
  readonly deviceId: number;
  /** `username` NUL `deviceId`: the device's key for the rate limiter and the duplicate filter. */
  readonly key: string;
  /**
   * Envelopes waiting in its mailbox: read from SQLite once (undefined until then,
   * and after a failed commit) and then kept in step with every store and ack.
   * It is asked on every send; a SQLite count per send was a fifth of the relay's time.
   */
  mailboxSize: number | undefined;
  /** Its live connection, if any. */
  connection: ConnectionState | undefined;
}

/** An acknowledgement as queued: the storage's Ack, and the acknowledging device's record. */
interface QueuedAck extends Ack {
  readonly device: DeviceState;
}

interface ConnectionState {
  readonly connection: RelayConnection;
  lastPushedSeq: number;
  /** Pushed and not yet acknowledged, by message id: its seq, and its sender (for the observers told of deliveries: the operator's live stream). */
  readonly inFlight: Map<string, InFlight>;
  /** True once the backlog has been pushed and `ready` sent. */
  ready: boolean;
  /** Envelopes are waiting in the mailbox that were not pushed (window full). */
  behind: boolean;
  /** Builds the `ready` frame, sent once the backlog has been pushed. */
  readonly readyFrame: () => ServerFrameWire;
}

interface InFlight {
  readonly seq: number;
  readonly sender: string | null;
  readonly senderDevice: number | null;
}

/** What a `message` frame carries: a new envelope or a mailbox row. */
type PushedEnvelope = Pick<NewEnvelope, 'messageId' | 'sender' | 'senderDevice' | 'storedAt' | 'body' | 'commitment' | 'stamp' | 'receipt' | 'mode' | 'access'>;

/** A content-access mode's envelope, opened by the TransportAdmission port: the server can tell no framing type from its bytes. */
const OPENED_KIND: EnvelopeKind = 'unknown';

export class RelayService {
  private queue: Queued[] = [];
  private readonly queuedKeys = new Map<string, Queued>();
  private acks: QueuedAck[] = [];
  /** Queued envelopes that carry content to record (so a turn with none does no extra work). */
  private queuedContent = 0;
  private flushScheduled = false;
  /** Device records by username, then device id (see DeviceState). */
  private readonly devices = new Map<string, Map<number, DeviceState>>();
  private readonly observers = new Set<RelayObserver>();
  /** How many observers want deliveries (see RelayObserver.delivered). */
  private deliveryObservers = 0;
  private readonly sendLimiter: RateLimiter;
  private readonly recentIds = new RecentIds();

  constructor(
    private readonly mailbox: MailboxRepo,
    private readonly accounts: AccountsRepo,
    private readonly stamper: FrankingStamper,
    private readonly options: RelayOptions = DEFAULT_RELAY_OPTIONS,
    private readonly log: (line: string) => void = () => {},
    private readonly now: () => number = Date.now,
    private readonly transport: TransportAdmission = NO_TRANSPORT_ADMISSION,
    private readonly escrow: EscrowRetention = NO_ESCROW_RETENTION,
  ) {
    this.sendLimiter = new RateLimiter(options.sendLimit, now);
    const since = now() - DEDUP_WINDOW_MS;
    for (const r of mailbox.recentIds(since, DEDUP_MAX_IDS).reverse()) {
      this.recentIds.remember(RecentIds.key(r.recipient, r.recipientDevice, r.messageId), r.sentAt);
    }
  }

  /**
   * Housekeeping: deletes envelopes that waited longer than `retentionMs`
   * unread (their recipient never collected them), so the mailbox has room
   * again. Whatever is queued is committed first, so the counts stay exact.
   * Their senders are not told (a sealed envelope's sender is unknown anyway).
   */
  expireWaiting(retentionMs: number): number {
    this.flush();
    let total = 0;
    for (const { recipient, recipientDevice, count } of this.mailbox.expireWaiting(this.now() - retentionMs)) {
      const device = this.devices.get(recipient)?.get(recipientDevice);
      if (device?.mailboxSize !== undefined) device.mailboxSize = Math.max(0, device.mailboxSize - count);
      total += count;
    }
    return total;
  }

  /** Housekeeping: forget ids older than the duplicate window. */
  expireRecentIds(): void {
    this.recentIds.expire(this.now());
  }

  /**
   * Queues an envelope for the next commit; `handler.stored` runs once it is
   * durable (or if this id was already stored), `handler.failed` otherwise.
   */
  submit(
    sender: AuthenticatedDevice,
    message: SubmittedEnvelope,
    handler: SubmitHandler,
  ): void {
    this.accept(sender, this.deviceState(sender.username, sender.deviceId, true)!.key, message, handler);
  }

  /**
   * A sealed-sender envelope (POST /api/sealed): it arrived on no signed-in
   * connection, so nobody is named as its sender anywhere, in the mailbox, the
   * log, the stamp or the frame. Rate limited by `rateKey` (the client address).
   */
  submitSealed(
    rateKey: string,
    message: SubmittedEnvelope,
    handler: SubmitHandler,
  ): void {
    this.accept(null, `sealed\u0000${rateKey}`, message, handler);
  }

  private accept(
    sender: AuthenticatedDevice | null,
    rateKey: string,
    message: SubmittedEnvelope,
    handler: SubmitHandler,
  ): void {
    if (!this.sendLimiter.tryTake(rateKey)) {
      return handler.failed(message.id, new ServerError('RATE_LIMITED', 'sending too fast: slow down and resend'));
    }
    const recipient = this.deviceState(message.to, message.toDevice, false);
    if (!recipient) {
      return handler.failed(message.id, new ServerError('UNKNOWN_RECIPIENT', `no device ${message.toDevice} for "${message.to}"`));
    }
    const key = RecentIds.keyOf(recipient.key, message.id);
    const queued = this.queuedKeys.get(key);
    if (queued) {
      queued.handlers.push(handler);
      return;
    }
    const seenAt = this.recentIds.storedAt(key);
    if (seenAt !== undefined) return handler.stored(message.id, { storedAt: seenAt, duplicate: true });
    if (this.queue.length >= this.options.maxQueued) {
      return handler.failed(message.id, new ServerError('RATE_LIMITED', 'the server is busy: resend shortly'));
    }
    const waiting = (recipient.mailboxSize ??= this.mailbox.pendingCount(recipient.username, recipient.deviceId));
    if (waiting >= this.options.maxMailbox) {
      return handler.failed(message.id, new ServerError('RATE_LIMITED', `"${message.to}" has too many undelivered messages: try later`));
    }
    const storedAt = this.now();
    const commitment = message.commitment ?? null;
    let body = message.body;
    let kind: EnvelopeKind;
    let mode: PolicyMode = 'e2ee';
    let content: ReadContent | undefined;
    let access: string | null = null;
    // The one comparison an e2ee envelope pays for the content-access modes. A stray
    // `access` on an envelope of another mode is ignored: never stored, never passed on.
    if (message.mode === undefined) {
      kind = envelopeKind(body);
    } else if (message.mode === 'key-escrow') {
      const refused = accessFieldProblem(sender, message.access);
      if (refused !== null) return handler.failed(message.id, new ServerError('BAD_ACCESS_FIELD', refused));
      access = message.access!;
      kind = envelopeKind(body);
      mode = message.mode;
      // Past every refusal: it will be queued, and retained inside the turn's transaction.
      this.queuedContent++;
    } else {
      const admitted = admitTransport(
        this.transport,
        { messageId: message.id, sender: sender?.username ?? null, recipient: message.to, storedAt, body: message.body },
        this.log,
      );
      if (!admitted.ok) return handler.failed(message.id, admitted.error);
      ({ body, content } = admitted);
      kind = OPENED_KIND;
      mode = message.mode;
      this.queuedContent++;
    }
    const entry: Queued = {
      envelope: {
        messageId: message.id,
        sender: sender?.username ?? null,
        senderDevice: sender?.deviceId ?? null,
        recipient: message.to,
        recipientDevice: message.toDevice,
        body,
        // The size received (the sealed envelope's), as for every envelope.
        size: decodedLength(message.body),
        kind,
        storedAt,
        commitment,
        stamp: commitment === null ? null : this.stamper.stamp(commitment, message.id, sender?.username ?? null, message.to, storedAt),
        // Only a signed-in sender's mark is kept: a sealed envelope is not to be told apart.
        receipt: sender !== null && message.receipt === true,
        mode,
        access,
      },
      recipient,
      key,
      handlers: [handler],
      content,
    };
    this.queue.push(entry);
    this.queuedKeys.set(key, entry);
    recipient.mailboxSize = waiting + 1;
    this.scheduleFlush();
  }

  /**
   * The relay's record of a device, made on first use. `signedIn`: the device
   * proved who it is, so it exists; otherwise the accounts are asked, and a
   * device that does not exist gets no record (probing names costs no memory).
   */
  private deviceState(username: string, deviceId: number, signedIn: boolean): DeviceState | undefined {
    let byId = this.devices.get(username);
    const known = byId?.get(deviceId);
    if (known) return known;
    if (!signedIn && !this.accounts.device(username, deviceId)) return undefined;
    const state: DeviceState = { username, deviceId, key: `${username}\u0000${deviceId}`, mailboxSize: undefined, connection: undefined };
    if (!byId) this.devices.set(username, (byId = new Map()));
    byId.set(deviceId, state);
    return state;
  }

  /** The recipient has these envelopes: delete them (only its own). */
  acknowledge(device: AuthenticatedDevice, messageIds: readonly string[]): void {
    const record = this.deviceState(device.username, device.deviceId, true)!;
    const state = record.connection;
    for (const messageId of messageIds) {
      const pushed = state?.inFlight.get(messageId);
      // Known rows are deleted by rowid; the sender rides along rather than being read back from the row.
      this.acks.push({
        recipient: device.username,
        recipientDevice: device.deviceId,
        messageId,
        seq: pushed?.seq,
        sender: pushed?.sender,
        senderDevice: pushed?.senderDevice,
        device: record,
      });
      state?.inFlight.delete(messageId);
    }
    this.scheduleFlush();
  }

  /** A device connected and authenticated: push its backlog, then `ready`. */
  attach(connection: RelayConnection, readyFrame: () => ServerFrameWire): void {
    const device = this.deviceState(connection.device.username, connection.device.deviceId, true)!;
    const previous = device.connection;
    if (previous) previous.connection.close(CLOSE_REPLACED, 'this device connected again elsewhere');
    const state: ConnectionState = { connection, lastPushedSeq: 0, inFlight: new Map(), ready: false, behind: true, readyFrame };
    device.connection = state;
    this.pump(state);
  }

  detach(connection: RelayConnection): void {
    const { username, deviceId } = connection.device;
    const device = this.devices.get(username)?.get(deviceId);
    if (!device || device.connection?.connection !== connection) return;
    device.connection = undefined;
  }

  /** Closes a device's live connection, if any (its identity key was replaced: its token no longer holds). */
  disconnect(username: string, deviceId: number, code: number, reason: string): void {
    const state = this.devices.get(username)?.get(deviceId)?.connection;
    if (!state) return;
    this.detach(state.connection);
    state.connection.close(code, reason);
  }

  /** Closes every live connection (the class was reset: no account they signed in as exists) and forgets every device. */
  disconnectAll(code: number, reason: string): void {
    const states = [...this.devices.values()].flatMap((byId) => [...byId.values()]).flatMap((device) => (device.connection ? [device.connection] : []));
    this.devices.clear();
    for (const state of states) state.connection.close(code, reason);
  }

  /** Subscribes to what each turn commits; returns the unsubscribe function. */
  observe(observer: RelayObserver): () => void {
    if (this.observers.has(observer)) return () => this.unobserve(observer);
    this.observers.add(observer);
    if (observer.delivered) this.deliveryObservers++;
    return () => this.unobserve(observer);
  }

  private unobserve(observer: RelayObserver): void {
    if (!this.observers.delete(observer)) return;
    if (observer.delivered) this.deliveryObservers--;
  }

  /** A device's live connection: where from and since when (the operator's view; never on the relay's path). */
  liveConnection(username: string, deviceId: number): { address: string; since: number } | undefined {
    const connection = this.devices.get(username)?.get(deviceId)?.connection?.connection;
    return connection && { address: connection.address, since: connection.connectedAt };
  }

  /** Pushes a frame to a device if it is connected (e.g. "prekeys low"). */
  notify(username: string, deviceId: number, frame: ServerFrameWire): void {
    this.devices.get(username)?.get(deviceId)?.connection?.connection.push(frame);
  }

  /** Pushes a frame to every connected device (a policy change). */
  broadcast(frame: ServerFrameWire): void {
    const json = JSON.stringify(frame);
    for (const byId of this.devices.values()) {
      for (const device of byId.values()) device.connection?.connection.pushText(json);
    }
  }

  /** Commits whatever is queued now, in one transaction (also used on shutdown). */
  flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0 && this.acks.length === 0) return;
    const batch = this.queue;
    const acks = this.acks;
    this.queue = [];
    this.acks = [];
    const withinTurn = this.queuedContent > 0 ? this.contentRecorder(batch) : undefined;
    this.queuedContent = 0;
    let outcome: TurnOutcome;
    const ackedAt = this.now();
    try {
      outcome = this.mailbox.commitTurn(
        batch.map((q) => q.envelope),
        acks,
        ackedAt,
        withinTurn,
      );
    } catch (error) {
      return this.commitFailed(batch, acks, error as Error);
    }
    this.committed(batch, acks, outcome, ackedAt);
  }

  /**
   * Records the batch's content (transport-only) and retains its key-escrow envelopes, with the seqs
   * they were stored under, inside the turn's transaction.
   */
  private contentRecorder(batch: readonly Queued[]): WithinTurn {
    return (stored) => {
      const rows: (ReadContent & { seq: number })[] = [];
      const retained: RetainedEnvelope[] = [];
      batch.forEach((q, i) => {
        const seq = stored[i]!.seq;
        if (q.content) rows.push({ ...q.content, seq });
        const { envelope } = q;
        if (envelope.access) {
          retained.push({ seq, messageId: envelope.messageId, sender: envelope.sender, recipient: envelope.recipient, storedAt: envelope.storedAt, body: envelope.body, access: envelope.access });
        }
      });
      if (rows.length > 0) this.transport.record(rows);
      if (retained.length > 0) this.escrow.retain(retained);
    };
  }

  private committed(batch: readonly Queued[], acks: readonly QueuedAck[], outcome: TurnOutcome, ackedAt: number): void {
    const delivered: DeliveredEnvelope[] = [];
    outcome.acked.forEach((deleted, i) => {
      if (!deleted) return;
      const ack = acks[i]!;
      if (ack.device.mailboxSize !== undefined) ack.device.mailboxSize--;
      if (this.deliveryObservers > 0) delivered.push({ ...deleted, messageId: ack.messageId, recipient: ack.recipient, recipientDevice: ack.recipientDevice, deliveredAt: ackedAt });
    });
    batch.forEach((q, i) => {
      const result = outcome.stored[i]!;
      this.queuedKeys.delete(q.key);
      this.recentIds.remember(q.key, q.envelope.storedAt);
      q.handlers.forEach((h, n) => h.stored(q.envelope.messageId, { storedAt: q.envelope.storedAt, duplicate: n > 0 }));
      this.deliverLive(q, result.seq);
    });
    for (const device of new Set(acks.map((a) => a.device))) {
      if (device.connection?.behind) this.pump(device.connection);
    }
    if (this.observers.size > 0) this.tellObservers(batch.map((q, i) => ({ seq: outcome.stored[i]!.seq, envelope: q.envelope })), delivered);
  }

  private tellObservers(committed: readonly CommittedEnvelope[], delivered: readonly DeliveredEnvelope[]): void {
    for (const observer of this.observers) {
      try {
        if (committed.length > 0) observer.committed(committed);
        if (delivered.length > 0) observer.delivered?.(delivered);
      } catch (error) {
        this.log(`relay: an observer failed: ${(error as Error).message}`);
      }
    }
  }

  private commitFailed(batch: readonly Queued[], acks: readonly Ack[], error: Error): void {
    this.log(`relay: failed to commit ${batch.length} envelopes and ${acks.length} acks: ${error.message}`);
    for (const q of batch) {
      this.queuedKeys.delete(q.key);
      q.recipient.mailboxSize = undefined; // recount next time
      for (const h of q.handlers) h.failed(q.envelope.messageId, new ServerError('INTERNAL', 'the server could not store the message: resend it'));
    }
    // Failed acks are harmless: those envelopes stay in the mailbox and are pushed again.
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private deliverLive(queued: Queued, seq: number): void {
    const state = queued.recipient.connection;
    if (!state) return;
    if (!state.ready || state.behind || state.inFlight.size >= this.options.window || seq <= state.lastPushedSeq) {
      state.behind = true;
      return;
    }
    this.pushMessage(state, seq, queued.envelope);
  }

  /** Pushes mailbox envelopes the connection has not seen, up to the window; sends `ready` once caught up. */
  private pump(state: ConnectionState): void {
    const { username, deviceId } = state.connection.device;
    while (state.inFlight.size < this.options.window) {
      const room = this.options.window - state.inFlight.size;
      const rows = this.mailbox.pending(username, deviceId, state.lastPushedSeq, room);
      for (const row of rows) {
        this.pushMessage(state, row.seq, row);
      }
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

  private pushMessage(state: ConnectionState, seq: number, envelope: PushedEnvelope): void {
    const { messageId, sender, senderDevice, storedAt, body, commitment, stamp, receipt, mode, access } = envelope;
    state.lastPushedSeq = seq;
    state.inFlight.set(messageId, { seq, sender, senderDevice });
    const franked = commitment !== null && stamp !== null;
    // Serialised by hand from the typed frame (frame-json.ts); the receipt mark is
    // passed on (only a signed-in sender's is ever kept: see accept).
    state.connection.pushText(
      messageFrameJson({
        type: 'message',
        id: messageId,
        from: sender,
        fromDevice: senderDevice,
        sentAt: storedAt,
        body,
        // Present together (ws.ts), and absent keys are left out of the JSON.
        commitment: franked ? commitment : undefined,
        stamp: franked ? stamp : undefined,
        receipt: receipt ? true : undefined,
        // e2ee is the field's absence (ws.ts): old clients know no mode.
        mode: mode === 'e2ee' ? undefined : mode,
        access: access ?? undefined,
      }),
    );
  }
}

/**
 * Why a key-escrow envelope's access field is refused, or null: it must be
 * there, parse (crypto-public escrow-field.ts), and come from a signed-in
 * sender. Key escrow sends signed in (ESCROW.md's simplification): the escrow
 * opens a retained body with the message key, and a sealed body wraps the
 * session message in a layer only the recipient can open.
 */
function accessFieldProblem(sender: AuthenticatedDevice | null, access: string | undefined): string | null {
  if (sender === null) return 'key escrow takes no sealed-sender envelopes: the escrow could not open them';
  if (access === undefined) return 'a key-escrow envelope needs its access field';
  try {
    decodeAccessField(fromBase64Url(access, 'access'));
    return null;
  } catch (error) {
    return `the access field is malformed: ${(error as Error).message}`;
  }
}
