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
export declare const SENT_RECORD_VERSION = 1;
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
export type EnvelopeChange = {
    readonly state: 'stored';
    readonly at: number;
} | {
    readonly state: 'delivered';
    readonly at: number;
} | {
    readonly state: 'failed';
    readonly reason: string;
};
export declare function messageState(envelopes: readonly SentEnvelopeRecord[]): DeliveryState;
/** The store entries that record a new message (merge into the outbox's put). */
export declare function newSentEntries(record: SentRecord): Record<string, unknown>;
export declare function applyChange(envelope: SentEnvelopeRecord, change: EnvelopeChange): SentEnvelopeRecord;
/** The sent record an envelope belongs to, or null (an envelope sent before history was kept). */
export declare function loadSentByEnvelope(store: ClientStore, envelopeId: MessageId): Promise<SentRecord | null>;
/**
 * The updated record after `change` to envelope `envelopeId`, and the entry
 * that stores it (for the caller's atomic put); null when no record has that
 * envelope or nothing changed.
 */
export declare function sentStateUpdate(store: ClientStore, envelopeId: MessageId, change: EnvelopeChange): Promise<{
    record: SentRecord;
    envelope: SentEnvelopeRecord;
    entries: Record<string, unknown>;
} | null>;
/** Every sent record (to `contact`, if given), oldest first. */
export declare function loadSent(store: ClientStore, contact?: Username): Promise<SentRecord[]>;
/** Entries that delete a sent record and its envelope index. */
export declare function sentDeletions(record: SentRecord): Record<string, undefined>;
/**
 * Entries that flag the envelopes `ids` as unreadable by `peer` (their
 * session-reset named them). Only envelopes we sent to `peer` itself: a
 * contact can report on what it received, nothing else.
 */
export declare function unreadableByPeerEntries(store: ClientStore, peer: Username, ids: readonly MessageId[]): Promise<Record<string, unknown>>;
