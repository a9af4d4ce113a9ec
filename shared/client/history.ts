/**
 * Sent history: every message this device sends is kept with its text,
 * recipient, time and delivery state. The record is written in the same atomic
 * put as the outbox entries (outgoing.ts), so a message is never in the outbox
 * without its history, nor the other way round; every later state change is
 * written together with what caused it (the outbox deletion on 'stored').
 *
 * Delivery state, per envelope (one per recipient device), only ever moves forward:
 *   queued    encrypted and in the outbox, durable on this device
 *   stored    the server committed it ('stored' frame)
 *   delivered the recipient's device said it has it: its receipt (receipts.ts), an
 *             encrypted message from that device, sealed or not. Not the server's
 *             word: its 'delivered' frame only says it deleted the ciphertext.
 *   failed    the server refused it for good (terminal)
 * The message's state summarises its envelopes: 'failed' if any failed,
 * 'delivered' only when EVERY device's envelope was delivered (a message is
 * read on a device, and "delivered" should not claim the recipient's phone has
 * it because their laptop does), 'stored' when every envelope is stored.
 */
import type { DeviceId, EnvelopeMode, MessageId, Username } from '@envelope/protocol';
import type { ClientStore } from './store.js';
import { SentEnvelopeKind, SentKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

export const SENT_RECORD_VERSION = 1;

export type DeliveryState = 'queued' | 'stored' | 'delivered' | 'failed';

export interface SentEnvelopeRecord {
  id: MessageId;
  toDevice: DeviceId;
  /** The envelope body exactly as sent (base64url), for the X-ray. */
  body: string;
  state: DeliveryState;
  storedAt: number | null;
  deliveredAt: number | null;
  /** The recipient's device said it could not decrypt it (a session-reset naming it: session-reset.ts). */
  unreadable?: true;
  /**
   * Sealed sender only: the session message inside the sealed body (base64url),
   * for the X-ray. The sender cannot open its own sealed envelope (it is
   * encrypted to the recipient), so it keeps what it put inside.
   */
  sessionMessage?: string;
  /** key-escrow: the access field sent beside this envelope (base64url; @envelope/protocol escrow.ts), for the X-ray. */
  access?: string;
}

export interface SentRecord {
  v: typeof SENT_RECORD_VERSION;
  /** Sent with sealed sender: the server does not know we sent it (the recipient's receipt still says it was delivered). */
  sealed?: true;
  /** Sealed sender only: the sender certificate that went inside (base64url), for the X-ray. */
  certificate?: string;
  /** The message id (the first envelope's id). */
  id: MessageId;
  to: Username;
  text: string;
  /** Our clock, when the message was written. */
  createdAt: number;
  order: number;
  /**
   * The padded plaintext that was encrypted (base64url; the same for every
   * device), for the X-ray. A demo choice: a real client keeps the text it
   * shows, not this; it reveals nothing the text does not.
   */
  padded: string;
  envelopes: SentEnvelopeRecord[];
  state: DeliveryState;
  /** Why it failed (the server's error code). */
  reason?: string;
  /**
   * The policy mode it was encrypted under (policy.ts); absent: e2ee (every
   * message before modes existed). transport-only: `padded` is the transport
   * payload sealed to the server, and each envelope's body that seal.
   */
  mode?: EnvelopeMode;
}

export type EnvelopeChange =
  | { readonly state: 'stored'; readonly at: number }
  | { readonly state: 'delivered'; readonly at: number }
  | { readonly state: 'failed'; readonly reason: string };

const RANK: Record<Exclude<DeliveryState, 'failed'>, number> = { queued: 0, stored: 1, delivered: 2 };

export function messageState(envelopes: readonly SentEnvelopeRecord[]): DeliveryState {
  if (envelopes.some((e) => e.state === 'failed')) return 'failed';
  if (envelopes.every((e) => e.state === 'delivered')) return 'delivered';
  if (envelopes.every((e) => e.state !== 'queued')) return 'stored';
  return 'queued';
}

/** The store entries that record a new message (merge into the outbox's put). */
export function newSentEntries(record: SentRecord): Record<string, unknown> {
  const entries: Record<string, unknown> = { [keys.sent(record.id)]: record };
  for (const envelope of record.envelopes) {
    if (envelope.id !== record.id) entries[keys.sentEnvelope(envelope.id)] = record.id;
  }
  return entries;
}

export function applyChange(envelope: SentEnvelopeRecord, change: EnvelopeChange): SentEnvelopeRecord {
  if (envelope.state === 'failed') return envelope;
  if (change.state === 'failed') return { ...envelope, state: 'failed' };
  // A late 'stored' after 'delivered' (a resend's answer) still tells us when it was stored.
  const state = RANK[change.state] > RANK[envelope.state] ? change.state : envelope.state;
  if (change.state === 'stored') return { ...envelope, state, storedAt: envelope.storedAt ?? change.at };
  return { ...envelope, state, deliveredAt: envelope.deliveredAt ?? change.at };
}

/** The sent record an envelope belongs to, or null (an envelope sent before history was kept). */
export async function loadSentByEnvelope(store: ClientStore, envelopeId: MessageId): Promise<SentRecord | null> {
  const direct = await readRecord(store, SentKind, keys.sent(envelopeId));
  if (direct) return direct;
  const messageId = await readRecord(store, SentEnvelopeKind, keys.sentEnvelope(envelopeId));
  return messageId === undefined ? null : ((await readRecord(store, SentKind, keys.sent(messageId))) ?? null);
}

/**
 * The updated record after `change` to envelope `envelopeId`, and the entry
 * that stores it (for the caller's atomic put); null when no record has that
 * envelope or nothing changed.
 */
export async function sentStateUpdate(
  store: ClientStore,
  envelopeId: MessageId,
  change: EnvelopeChange,
): Promise<{ record: SentRecord; envelope: SentEnvelopeRecord; entries: Record<string, unknown> } | null> {
  const record = await loadSentByEnvelope(store, envelopeId);
  const before = record?.envelopes.find((e) => e.id === envelopeId);
  if (!record || !before) return null;
  const after = applyChange(before, change);
  if (JSON.stringify(after) === JSON.stringify(before)) return null;
  const envelopes = record.envelopes.map((e) => (e.id === envelopeId ? after : e));
  const updated: SentRecord = { ...record, envelopes, state: messageState(envelopes) };
  if (change.state === 'failed' && updated.reason === undefined) updated.reason = change.reason;
  return { record: updated, envelope: after, entries: { [keys.sent(record.id)]: updated } };
}

/** Every sent record (to `contact`, if given), oldest first. */
export async function loadSent(store: ClientStore, contact?: Username): Promise<SentRecord[]> {
  const records: SentRecord[] = [];
  for (const key of await store.list(keys.sentPrefix)) {
    const record = await readRecord(store, SentKind, key);
    if (record && (contact === undefined || record.to === contact)) records.push(record);
  }
  return records.sort((a, b) => a.order - b.order);
}

/** Entries that delete a sent record and its envelope index. */
export function sentDeletions(record: SentRecord): Record<string, undefined> {
  const entries: Record<string, undefined> = { [keys.sent(record.id)]: undefined };
  for (const envelope of record.envelopes) if (envelope.id !== record.id) entries[keys.sentEnvelope(envelope.id)] = undefined;
  return entries;
}

/**
 * Entries that flag the envelopes `ids` as unreadable by `peer` (their
 * session-reset named them). Only envelopes we sent to `peer` itself: a
 * contact can report on what it received, nothing else.
 */
export async function unreadableByPeerEntries(store: ClientStore, peer: Username, ids: readonly MessageId[]): Promise<Record<string, unknown>> {
  const updated = new Map<MessageId, SentRecord>();
  for (const id of ids) {
    const record = updated.get((await readRecord(store, SentEnvelopeKind, keys.sentEnvelope(id))) ?? id) ?? (await loadSentByEnvelope(store, id));
    if (!record || record.to !== peer || !record.envelopes.some((e) => e.id === id && !e.unreadable)) continue;
    updated.set(record.id, { ...record, envelopes: record.envelopes.map((e) => (e.id === id ? { ...e, unreadable: true as const } : e)) });
  }
  return Object.fromEntries([...updated.values()].map((record) => [keys.sent(record.id), record]));
}
