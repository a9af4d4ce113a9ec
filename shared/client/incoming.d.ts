import type { ReportReason, DeviceId, EnvelopeMode, MessageId, Username, ServerFrame } from '@envelope/protocol';
import type { DeviceContext } from './device.js';
import { type ConfirmedDelivery } from './receipts.js';
export type MessageFrame = Extract<ServerFrame, {
    type: 'message';
}>;
export declare const INBOX_ENTRY_VERSION = 1;
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
    reported?: {
        reportId: number;
        at: number;
        reason: ReportReason;
    };
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
{
    kind: 'duplicate';
} | {
    kind: 'message';
    entry: TextInboxEntry;
} | {
    kind: 'undecryptable';
    entry: UndecryptableInboxEntry;
}
/** Kept unread until the user trusts the contact's new key. */
 | {
    kind: 'held';
    id: MessageId;
    contact: Username;
    deviceId: DeviceId;
};
/**
 * What receiveEnvelope reports: an IncomingOutcome, or a control message
 * (session-reset.ts, receipts.ts) consumed silently. The app never sees 'control'.
 */
export type ReceiveOutcome = IncomingOutcome
/**
 * An envelope marked a delivery receipt that could not be read, dropped
 * without a trace (dropsUnreadableReceipt): ack it, show nothing, send no
 * session-reset notice. The app never sees 'dropped'.
 */
 | {
    kind: 'dropped';
    reason: UndecryptableReason;
}
/**
 * `flagged`: how many of our sent envelopes a session-reset named as unreadable there;
 * `delivered`: the envelopes of ours a receipt confirmed (none for a session-reset).
 */
 | {
    kind: 'control';
    contact: Username;
    deviceId: DeviceId;
    flagged: number;
    delivered: ConfirmedDelivery[];
    at: number;
};
export interface ReceiveOptions {
    /** Extra entries for the same atomic put (key-change.ts deletes the held copy this way). */
    readonly alsoPut?: Readonly<Record<string, unknown>>;
    /** The message was held and is now released: it is in the seen-set already. */
    readonly released?: boolean;
}
export declare function receiveEnvelope(device: DeviceContext, frame: MessageFrame, options?: ReceiveOptions): Promise<ReceiveOutcome>;
/** Why a key-escrow message was refused: its access field is missing, malformed or does not pass the check ("the escrow check failed"). */
export declare const ESCROW_CHECK_FAILED = "ESCROW_CHECK_FAILED";
/** A held message back in the shape it arrived in. */
export declare function heldToFrame(held: HeldEntry): MessageFrame;
/** Inbox entries in the order they were received (only the unread ones, if asked). */
export declare function loadInbox(device: Pick<DeviceContext, 'store'>, options?: {
    unreadOnly?: boolean;
}): Promise<InboxEntry[]>;
/** Marks inbox entries as shown to the user (one atomic put). */
export declare function markInboxRead(device: Pick<DeviceContext, 'store'>, ids: readonly MessageId[]): Promise<void>;
export {};
