/**
 * Receiving one envelope: decrypt it, then store everything it changed (the
 * session state, the message in the inbox, its id in the seen-set, the used
 * one-time prekeys deleted) in one atomic put. Only then may the caller ack it;
 * a crash before the put means the server pushes it again and nothing is lost,
 * a crash after it means the repeat is recognised by its id and dropped.
 *
 * The inbox is the device's history of received messages: entries stay
 * (marked read once shown) until the app removes them. Beside each one the
 * envelope body as it arrived is kept for the X-ray (xray.ts).
 *
 * Nothing is thrown away silently: a message that cannot be decrypted is
 * stored in the inbox as `undecryptable` with the reason, and a message that
 * needs a changed identity key is held unread (key-change.ts releases it).
 * The one exception is an envelope its sender marked a delivery receipt
 * (see dropsUnreadableReceipt below).
 */
import { bytesEqual, fromBase64Url, isCryptoError } from '@envelope/crypto-public';
import type { ReportReason, DeviceId, EnvelopeMode, MessageId, Username, ServerFrame } from '@envelope/protocol';
import { checkAccessField, parseSessionMessage, startsNewSession, wipeDisclosure, type ParsedSessionMessage } from '@envelope/crypto';
import {
  checkIdentity,
  hasPendingKeyChange,
  newContact,
  recordKeyChange,
  trustOnFirstUse,
  type ContactRecord,
} from './contacts.js';
import type { DeviceContext } from './device.js';
import { isClientError } from './errors.js';
import { consumedPreKeyDeletions, loadPreKeyLookup } from './own-prekeys.js';
import type { ConfirmedDelivery } from './receipts.js';
import { decryptWithRecord, type Responder, type SessionRecord } from './session-record.js';
import { loadSessionRecord, sessionEntry } from './session-store.js';
import { ContactKind, InboxKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';
import { isSealedBody, unsealEnvelope, type Unsealed } from './sealed.js';
import { receiveTransport } from './transport-receive.js';
import { storeDecodedMessage } from './decoded-message.js';
import { receivedRawEntry } from './xray.js';

export type MessageFrame = Extract<ServerFrame, { type: 'message' }>;

export const INBOX_ENTRY_VERSION = 1;

interface InboxEntryBase {
  v: typeof INBOX_ENTRY_VERSION;
  /** The envelope id. */
  id: MessageId;
  /** Null only for sealed-sender envelopes, which this client cannot open yet. */
  from: Username | null;
  fromDevice: DeviceId | null;
  /** When the server stored the envelope (its clock). */
  storedAt: number;
  /** When this device decrypted it (our clock). */
  receivedAt: number;
  order: number;
  /** The app has shown it (markRead); the entry stays as history until removed. */
  read: boolean;
  /** The policy mode it was sent under (policy.ts), as its envelope said; absent: e2ee. */
  mode?: EnvelopeMode;
}

export interface TextInboxEntry extends InboxEntryBase {
  kind: 'text';
  text: string;
  /** The sender's clock, from inside the ciphertext. */
  sentAt: number;
  /**
   * What a report needs (franking.ts), base64url: the key from inside the
   * ciphertext, the sender's commitment and the server's stamp from beside it.
   * Absent only for messages stored before reports existed.
   */
  franking?: FrankingOpening;
  /** The sender's name came from a sealed-sender certificate, not from the server (a report cannot prove it). */
  sealedSender?: true;
  /** Set once the user reported it and the server filed the report. */
  reported?: { reportId: number; at: number; reason: ReportReason };
}

export interface FrankingOpening {
  key: string;
  commitment: string;
  stamp: string;
}

/** Why a message could not be read: a CryptoError code, or one of the client's own. */
export type UndecryptableReason = string;

export interface UndecryptableInboxEntry extends InboxEntryBase {
  kind: 'undecryptable';
  /** e.g. DECRYPT_FAILED, DUPLICATE_MESSAGE, UNKNOWN_PREKEY, NO_SESSION, PROTOCOL_ERROR, FRANKING_INVALID, SEALED_SENDER_UNSUPPORTED, ESCROW_CHECK_FAILED (key escrow: "the escrow check failed") */
  reason: UndecryptableReason;
}

export type InboxEntry = TextInboxEntry | UndecryptableInboxEntry;

/** A message waiting for the user to accept a contact's new key. The frame as it arrived (body base64url). */
export interface HeldEntry {
  v: 1;
  id: MessageId;
  from: Username;
  fromDevice: DeviceId;
  storedAt: number;
  body: string;
  /** The franking commitment and stamp that came beside the body. */
  commitment?: string;
  stamp?: string;
  /** The sender marked it a delivery receipt (the frame's `receipt`): kept, so a release treats it the same. */
  receipt?: true;
  /** A sealed-sender envelope: `from` came from its certificate, and the server named nobody. */
  sealed?: true;
  /** The mode it came under and, for key-escrow, its access field: checked when it is released. */
  mode?: EnvelopeMode;
  access?: string;
  heldAt: number;
  order: number;
}

export type IncomingOutcome =
  /** Already handled (delivery is at least once): ack and forget. */
  | { kind: 'duplicate' }
  | { kind: 'message'; entry: TextInboxEntry }
  | { kind: 'undecryptable'; entry: UndecryptableInboxEntry }
  /** Kept unread until the user trusts the contact's new key. */
  | { kind: 'held'; id: MessageId; contact: Username; deviceId: DeviceId };

/**
 * What receiveEnvelope reports: an IncomingOutcome, or a control message
 * (session-reset.ts, receipts.ts) consumed silently. The app never sees 'control'.
 */
export type ReceiveOutcome =
  | IncomingOutcome
  /**
   * An envelope marked a delivery receipt that could not be read, dropped
   * without a trace (dropsUnreadableReceipt): ack it, show nothing, send no
   * session-reset notice. The app never sees 'dropped'.
   */
  | { kind: 'dropped'; reason: UndecryptableReason }
  /**
   * `flagged`: how many of our sent envelopes a session-reset named as unreadable there;
   * `delivered`: the envelopes of ours a receipt confirmed (none for a session-reset).
   */
  | { kind: 'control'; contact: Username; deviceId: DeviceId; flagged: number; delivered: ConfirmedDelivery[]; at: number };

export interface ReceiveOptions {
  /** Extra entries for the same atomic put (key-change.ts deletes the held copy this way). */
  readonly alsoPut?: Readonly<Record<string, unknown>>;
  /** The message was held and is now released: it is in the seen-set already. */
  readonly released?: boolean;
}

/**
 * Whether a failure to read `frame` drops it silently instead of storing an
 * unreadable row. Only envelopes marked `receipt: true`: the sender's device
 * marked it a delivery receipt on its `send` frame, and the server passed the
 * mark on (never on sealed envelopes, which carry none). The usual cause is a
 * receipt encrypted to a session we no longer have, still on its way when the
 * user pressed "Reset keys": shown, it would be an "unreadable message" row
 * nobody wrote, and it would spend the one session-reset notice per interval
 * (session-reset.ts), so a real message sent just after the reset would go
 * unflagged on the other side.
 *
 * Why trusting the mark is safe: it changes only the failure path. A marked
 * envelope that decrypts is handled by its content, like any other (a text is
 * still shown, a receipt still counts). So a lying sender or server can use it
 * only to make an envelope we could not read anyway vanish, which either of
 * them could already do by not sending it (the sender) or not forwarding it
 * (the server). Nothing readable can be hidden this way.
 */
function dropsUnreadableReceipt(frame: MessageFrame): boolean {
  return frame.receipt === true;
}

export async function receiveEnvelope(device: DeviceContext, frame: MessageFrame, options: ReceiveOptions = {}): Promise<ReceiveOutcome> {
  const { store } = device;
  if (!options.released && (await store.get(keys.seen(frame.id))) !== undefined) return { kind: 'duplicate' };
  const receivedAt = device.now();
  const base = {
    v: INBOX_ENTRY_VERSION as typeof INBOX_ENTRY_VERSION,
    id: frame.id,
    from: frame.from,
    fromDevice: frame.fromDevice,
    storedAt: frame.sentAt,
    receivedAt,
    read: false,
    ...(frame.mode !== undefined ? { mode: frame.mode } : {}),
  };
  const seen = { [keys.seen(frame.id)]: receivedAt, ...options.alsoPut };

  const fail = async (reason: UndecryptableReason, extra: Record<string, unknown> = {}): Promise<ReceiveOutcome> => {
    if (dropsUnreadableReceipt(frame)) {
      // Remembered as seen (a repeat is dropped as a duplicate), and whatever the attempt changed is kept.
      await store.put({ ...extra, ...seen });
      return { kind: 'dropped', reason };
    }
    const entry: UndecryptableInboxEntry = { ...base, kind: 'undecryptable', reason, order: device.nextOrder() };
    await store.put({ ...extra, [keys.inbox(frame.id)]: entry, ...seen });
    return { kind: 'undecryptable', entry };
  };

  // The relay forwards bodies as base64url it never decodes (opaqueBytes): we decode here.
  let body: Uint8Array;
  try {
    body = fromBase64Url(frame.body, 'body');
  } catch {
    return fail('INVALID_MESSAGE');
  }
  // transport-only (policy.ts): the server opened it and delivers the payload; no session is involved.
  if (frame.mode === 'transport-only') return receiveTransport(device, frame, body, { base, seen, fail: (reason) => fail(reason) });
  // key-escrow: an envelope of that mode without its access field, or a field on any other, is not what a compliant sender makes.
  const escrowed = frame.mode === 'key-escrow';
  if (escrowed !== (frame.access !== undefined)) return fail(ESCROW_CHECK_FAILED);
  if (escrowed && (frame.from === null || frame.fromDevice === null)) return fail(ESCROW_CHECK_FAILED); // key escrow sends signed in
  // Sealed sender: the server named nobody; the sender is in the certificate inside (sealed.ts).
  let sealed: Unsealed | null = null;
  if (frame.from === null || frame.fromDevice === null) {
    const serverKey = device.serverCertificateKey?.() ?? null;
    if (!isSealedBody(body)) return fail('INVALID_MESSAGE');
    if (serverKey === null) return fail('SEALED_SENDER_UNVERIFIABLE');
    try {
      sealed = unsealEnvelope(device.identity, body, serverKey, frame.sentAt);
    } catch (error) {
      return fail(isCryptoError(error) || isClientError(error) ? error.code : 'SEALED_SENDER_INVALID');
    }
    body = sealed.sessionMessage;
  }
  const from = sealed?.from ?? frame.from!;
  const fromDevice = sealed?.fromDevice ?? frame.fromDevice!;
  let parsed: ParsedSessionMessage;
  try {
    parsed = parseSessionMessage(body);
  } catch {
    return fail('INVALID_MESSAGE');
  }
  // The certificate's key must be the one the session message speaks for: a valid certificate
  // of one person around another's handshake would otherwise put words in the first one's mouth.
  if (sealed && parsed.kind === 'prekey' && !bytesEqual(parsed.handshake.identityKey, sealed.identityKey)) return fail('SEALED_SENDER_MISMATCH');

  const hold = async (contactAfter: ContactRecord | undefined): Promise<IncomingOutcome> => {
    const held: HeldEntry = {
      v: 1,
      id: frame.id,
      from,
      fromDevice,
      storedAt: frame.sentAt,
      body: frame.body,
      ...(frame.commitment !== undefined && frame.stamp !== undefined ? { commitment: frame.commitment, stamp: frame.stamp } : {}),
      ...(frame.receipt === true ? { receipt: true as const } : {}),
      ...(sealed ? { sealed: true as const } : {}),
      ...(frame.mode !== undefined ? { mode: frame.mode } : {}),
      ...(frame.access !== undefined ? { access: frame.access } : {}),
      heldAt: receivedAt,
      order: device.nextOrder(),
    };
    // `seen` may delete this held copy (a release): the new copy goes last, so a message held again stays held.
    await store.put({ ...(contactAfter ? { [keys.contact(from)]: contactAfter } : {}), ...seen, [keys.held(frame.id)]: held });
    return { kind: 'held', id: frame.id, contact: from, deviceId: fromDevice };
  };

  const contact = await readRecord(store, ContactKind, keys.contact(from));
  const record = await loadSessionRecord(store, from, fromDevice);
  let contactAfter = contact;
  let responder: Responder | null = null;
  // Only a handshake that would open a new session says anything about the
  // sender's identity. A repeat of one we accepted is read by the session it
  // made, which knows the key; the repeat's header is not consulted.
  if (parsed.kind === 'prekey' && opensNewSession(record, parsed)) {
    const claimed = parsed.handshake.identityKey;
    const check = checkIdentity(contact, fromDevice, claimed);
    if (check === 'changed') {
      const changed = recordKeyChange(contact ?? newContact(from), fromDevice, claimed, receivedAt);
      const outcome = await hold(changed);
      if (changed !== contact) device.onKeyChange(from, fromDevice);
      return outcome;
    }
    if (check === 'first-use') contactAfter = trustOnFirstUse(contact ?? newContact(from), new Map([[fromDevice, claimed]]), receivedAt);
    responder = { identity: device.identity, preKeys: await loadPreKeyLookup(store, parsed.handshake, device.now()) };
  }

  if (record === null && parsed.kind === 'ratchet') {
    // A ratchet message of a session we have not accepted yet: its prekey message is held.
    return hasPendingKeyChange(contact, fromDevice) ? hold(undefined) : fail('NO_SESSION');
  }

  let result;
  try {
    result = decryptWithRecord(record, body, responder, { disclose: escrowed });
  } catch (error) {
    if (parsed.kind === 'ratchet' && hasPendingKeyChange(contact, fromDevice)) return hold(undefined);
    return fail(isCryptoError(error) ? error.code : 'DECRYPT_FAILED');
  }

  if (sealed && !bytesEqual(result.remoteIdentityKey, sealed.identityKey)) return fail('SEALED_SENDER_MISMATCH');

  // The session advanced: store it whatever the plaintext turns out to be.
  const entries: Record<string, unknown> = { ...sessionEntry(from, fromDevice, result.record) };
  if (contactAfter !== contact) entries[keys.contact(from)] = contactAfter;
  if (result.acceptedHandshake && responder) Object.assign(entries, consumedPreKeyDeletions(result.acceptedHandshake, responder.preKeys));

  if (escrowed) {
    // Compliant software accepts nothing the escrow could not open (escrow.ts): the message decrypted, so
    // we know its key and can check the field. Refused, the session still advanced (stored with it).
    let verdict;
    try {
      verdict = checkAccessField(fromBase64Url(frame.access!, 'access'), result.disclosure!, device.escrowCheckBits?.() ?? 16);
    } catch {
      verdict = { ok: false as const };
    } finally {
      wipeDisclosure(result.disclosure);
    }
    if (!verdict.ok) return fail(ESCROW_CHECK_FAILED, entries);
  }

  return storeDecodedMessage(device, result.plaintext, {
    frame,
    from,
    fromDevice,
    sealed: sealed !== null,
    base,
    entries,
    seen,
    contact: contactAfter ?? contact,
    rawEntries: receivedRawEntry(frame.id, frame.body, result.plaintext, sealed, escrowed ? { mode: 'key-escrow', access: frame.access! } : undefined),
    fail,
  });
}

/** Why a key-escrow message was refused: its access field is missing, malformed or does not pass the check ("the escrow check failed"). */
export const ESCROW_CHECK_FAILED = 'ESCROW_CHECK_FAILED';

function opensNewSession(record: SessionRecord | null, parsed: ParsedSessionMessage): boolean {
  return record === null || [record.active, ...record.previous].every((session) => startsNewSession(session, parsed));
}

/** A held message back in the shape it arrived in. */
export function heldToFrame(held: HeldEntry): MessageFrame {
  const frame: MessageFrame = held.sealed
    ? { type: 'message', id: held.id, from: null, fromDevice: null, sentAt: held.storedAt, body: held.body }
    : { type: 'message', id: held.id, from: held.from, fromDevice: held.fromDevice, sentAt: held.storedAt, body: held.body };
  const marked: MessageFrame = {
    ...frame,
    ...(held.receipt === true ? { receipt: true as const } : {}),
    ...(held.mode !== undefined ? { mode: held.mode } : {}),
    ...(held.access !== undefined ? { access: held.access } : {}),
  };
  return held.commitment !== undefined && held.stamp !== undefined ? { ...marked, commitment: held.commitment, stamp: held.stamp } : marked;
}

/** Inbox entries in the order they were received (only the unread ones, if asked). */
export async function loadInbox(device: Pick<DeviceContext, 'store'>, options: { unreadOnly?: boolean } = {}): Promise<InboxEntry[]> {
  const entries: InboxEntry[] = [];
  for (const key of await device.store.list(keys.inboxPrefix)) {
    const entry = await readRecord(device.store, InboxKind, key);
    if (entry && !(options.unreadOnly && entry.read)) entries.push(entry);
  }
  return entries.sort((a, b) => a.order - b.order);
}

/** Marks inbox entries as shown to the user (one atomic put). */
export async function markInboxRead(device: Pick<DeviceContext, 'store'>, ids: readonly MessageId[]): Promise<void> {
  const entries: Record<string, unknown> = {};
  for (const id of ids) {
    const entry = await readRecord(device.store, InboxKind, keys.inbox(id));
    if (entry && !entry.read) entries[keys.inbox(id)] = { ...entry, read: true };
  }
  if (Object.keys(entries).length > 0) await device.store.put(entries);
}
