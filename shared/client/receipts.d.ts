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
import { type OutboxEntry } from './outgoing.js';
import type { SendingMode } from './policy.js';
import type { ClientStore } from './store.js';
export declare const PENDING_RECEIPT_VERSION = 1;
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
export declare function pendingReceiptEntry(receipt: PendingReceipt): Record<string, unknown>;
/** Whether sending the pending receipts needs a sender certificate (some go sealed); false when none are pending. */
export declare function receiptsNeedCertificate(store: ClientStore): Promise<boolean>;
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
export declare function prepareReceipts(device: DeviceContext, certificate: Uint8Array | undefined, mode?: SendingMode): Promise<OutboxEntry[]>;
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
export declare function receiptDeliveries(store: ClientStore, peer: Username, peerDevice: DeviceId, ids: readonly MessageId[], at: number): Promise<{
    entries: Record<string, unknown>;
    confirmed: ConfirmedDelivery[];
}>;
