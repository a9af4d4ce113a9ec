/**
 * Delivery receipts, end to end, as Signal's clients send them: once this
 * device has decrypted and stored a chat message, it sends the sender's
 * device a small encrypted message over the same session ('receipt',
 * message-codec.ts) naming the envelopes it now holds. That receipt, and
 * nothing the server says, is what makes a message "Delivered" in the
 * sender's history (history.ts), sealed or not: for a sealed message the
 * server does not know whom to tell, and it should not have to be believed.
 *
 * Durable, at least once: the pending receipt is written in the same atomic
 * put as the inbox entry (incoming.ts), and leaves the store in the same put
 * that puts the receipt in the outbox. A crash in between only delays it.
 *
 * No loops: only a text message earns a receipt. A receipt, a session-reset
 * or a message that could not be read earns none.
 *
 * Sealing: a receipt goes sealed when a message it acknowledges arrived
 * sealed, or when this device has sealed sender on. An unsealed receipt to the
 * sender of a sealed message would name that sender to the server (the
 * receipt leaves right after the message arrives, addressed to them); and
 * "hide my name" covers everything we send. An unsealed receipt for an
 * unsealed message tells the server nothing new: it saw the message arrive and
 * the recipient take it. Unsealed receipts say they are receipts on the wire
 * (delivery.ts sendFrame); sealed ones cannot, and the server sees an envelope
 * like any other. Their timing still hints at who sent the sealed message
 * they answer (README: Martiny et al., NDSS 2021).
 *
 * A sealed receipt, like any sealed envelope, needs the recipient's access key
 * (profile-key.ts): the text it acknowledges carried their profile key, so it
 * is there. Should it not be (a message from a client that sent none), a
 * receipt that must be sealed because the message came sealed stays pending
 * until their key arrives, rather than go with our name; one that would be
 * sealed only because of our own setting goes with our name, as our texts to
 * them would.
 */
import type { DeviceId, MessageId, Username } from '@envelope/protocol';
import type { DeviceContext } from './device.js';
import { applyChange, loadSentByEnvelope, messageState, type SentRecord } from './history.js';
import { encodeReceipt, MAX_RECEIPT_IDS } from './message-codec.js';
import { prepareControlMessage, type OutboxEntry } from './outgoing.js';
import { contactAccessKey } from './profile-key.js';
import type { SendingMode } from './policy.js';
import { loadSettings } from './sealed.js';
import { loadSessionRecord } from './session-store.js';
import type { ClientStore } from './store.js';
import { PendingReceiptKind, SentEnvelopeKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

export const PENDING_RECEIPT_VERSION = 1;

/** A message we stored and have not yet told its sender about. */
export interface PendingReceipt {
  v: typeof PENDING_RECEIPT_VERSION;
  id: MessageId;
  from: Username;
  fromDevice: DeviceId;
  /** It arrived with sealed sender: the receipt goes sealed too. */
  sealed?: true;
  order: number;
}

/** The store entry that records a receipt to send (merge into the inbox entry's put). */
export function pendingReceiptEntry(receipt: PendingReceipt): Record<string, unknown> {
  return { [keys.pendingReceipt(receipt.from, receipt.fromDevice, receipt.id)]: receipt };
}

async function loadPending(store: ClientStore): Promise<PendingReceipt[]> {
  const pending: PendingReceipt[] = [];
  for (const key of await store.list(keys.pendingReceiptPrefix)) {
    const entry = await readRecord(store, PendingReceiptKind, key);
    if (entry?.v === PENDING_RECEIPT_VERSION) pending.push(entry);
  }
  return pending.sort((a, b) => a.order - b.order);
}

/** Whether sending the pending receipts needs a sender certificate (some go sealed); false when none are pending. */
export async function receiptsNeedCertificate(store: ClientStore): Promise<boolean> {
  const pending = await loadPending(store);
  if (pending.length === 0) return false;
  return pending.some((p) => p.sealed) || (await loadSettings(store)).sealedSender;
}

/**
 * Encrypts the pending receipts, one per device of a sender and at most
 * MAX_RECEIPT_IDS ids each, and moves them to the outbox (each in one put with
 * its session and the deletion of what it acknowledges). Returns the envelopes
 * to transmit. Receipts that must go sealed stay pending without a
 * `certificate`. Receipts to a device we no longer have a session with (our
 * keys were reset) are dropped: a new session would need the contact's keys,
 * and the message they acknowledge was written to keys we no longer have.
 * Under transport-only (`mode`, policy.ts) each receipt is sealed to the
 * server instead, like a text, and needs no session.
 */
export async function prepareReceipts(device: DeviceContext, certificate: Uint8Array | undefined, mode: SendingMode = { mode: 'e2ee' }): Promise<OutboxEntry[]> {
  const { store } = device;
  const { sealedSender } = await loadSettings(store);
  const groups = new Map<string, PendingReceipt[]>();
  for (const pending of await loadPending(store)) {
    const key = keys.session(pending.from, pending.fromDevice);
    groups.set(key, [...(groups.get(key) ?? []), pending]);
  }
  const envelopes: OutboxEntry[] = [];
  for (const group of groups.values()) {
    const { from, fromDevice } = group[0]!;
    const done = (chunk: readonly PendingReceipt[]) =>
      Object.fromEntries(chunk.map((p) => [keys.pendingReceipt(p.from, p.fromDevice, p.id), undefined]));
    // Key escrow sends every receipt signed in, with an access field (outgoing.ts): even one for a message
    // that came sealed. That names the pair to the server: the mode's cost, said on screen.
    const escrow = mode.mode === 'key-escrow' ? mode.escrow : undefined;
    const mustSeal = escrow === undefined && group.some((p) => p.sealed);
    const accessKey = escrow === undefined && (mustSeal || sealedSender) ? await contactAccessKey(store, from) : undefined;
    if (mustSeal && accessKey === undefined) continue;
    const seal = accessKey !== undefined;
    if (seal && certificate === undefined) continue;
    for (let start = 0; start < group.length; start += MAX_RECEIPT_IDS) {
      const chunk = group.slice(start, start + MAX_RECEIPT_IDS);
      const plaintext = encodeReceipt(chunk.map((p) => p.id), device.now());
      const sealWith = seal && certificate !== undefined && accessKey !== undefined ? { certificate, accessKey } : undefined;
      if (mode.mode === 'transport-only') {
        // Sealed to the server, to the device that wrote (policy.ts): no session used, so none is needed.
        const recipients = { transportKey: mode.transportKey, devices: [fromDevice] };
        envelopes.push(...(await prepareControlMessage(device, from, plaintext, recipients, 'receipt', done(chunk), sealWith)));
        continue;
      }
      // Loaded per chunk: each receipt advances the session and stores it.
      const session = await loadSessionRecord(store, from, fromDevice);
      if (!session) {
        await store.put(done(group.slice(start)));
        break;
      }
      const sessions = new Map([[fromDevice, session]]);
      envelopes.push(...(await prepareControlMessage(device, from, plaintext, sessions, 'receipt', done(chunk), sealWith, escrow)));
    }
  }
  return envelopes;
}

/** An envelope of ours a receipt confirmed. */
export interface ConfirmedDelivery {
  readonly id: MessageId;
  readonly messageId: MessageId;
  readonly toDevice: DeviceId;
}

/**
 * Entries that mark as delivered (at `at`) the envelopes `ids` that a receipt
 * from `peer`'s device `peerDevice` named, and which they are. Only envelopes
 * we sent to that very device count: a contact's device can vouch for what it
 * received, nothing else. Unknown ids, repeats and ids of envelopes to someone
 * else are ignored (a receipt is bounded, so this is too).
 */
export async function receiptDeliveries(
  store: ClientStore,
  peer: Username,
  peerDevice: DeviceId,
  ids: readonly MessageId[],
  at: number,
): Promise<{ entries: Record<string, unknown>; confirmed: ConfirmedDelivery[] }> {
  const updated = new Map<MessageId, SentRecord>();
  const confirmed: ConfirmedDelivery[] = [];
  for (const id of new Set(ids)) {
    const messageId = (await readRecord(store, SentEnvelopeKind, keys.sentEnvelope(id))) ?? id;
    const record = updated.get(messageId) ?? (await loadSentByEnvelope(store, id));
    const envelope = record?.envelopes.find((e) => e.id === id);
    if (!record || !envelope || record.to !== peer || envelope.toDevice !== peerDevice || envelope.state === 'delivered') continue;
    const envelopes = record.envelopes.map((e) => (e.id === id ? applyChange(e, { state: 'delivered', at }) : e));
    updated.set(record.id, { ...record, envelopes, state: messageState(envelopes) });
    confirmed.push({ id, messageId: record.id, toDevice: peerDevice });
  }
  return { entries: Object.fromEntries([...updated.values()].map((record) => [keys.sent(record.id), record])), confirmed };
}
