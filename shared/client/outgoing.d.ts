import { type BundleResponse, type EnvelopeMode, type EscrowAnnouncement, type DeviceId, type MessageId, type Username } from '@envelope/protocol';
import { type ContactRecord } from './contacts.js';
import type { DeviceContext } from './device.js';
import { ClientError } from './errors.js';
import { type SessionRecord } from './session-record.js';
import type { SendingMode } from './policy.js';
import { type TransportRecipients } from './transport-send.js';
export declare const OUTBOX_ENTRY_VERSION = 1;
/** One envelope for one device of the recipient, kept until the server says it is stored. */
export interface OutboxEntry {
    v: typeof OUTBOX_ENTRY_VERSION;
    /** The envelope id on the wire (one per recipient device: a 'stored' frame names only the id). */
    id: MessageId;
    /** The message this envelope belongs to (the first device's envelope id). */
    messageId: MessageId;
    to: Username;
    toDevice: DeviceId;
    /** The session message, base64url. */
    body: string;
    createdAt: number;
    order: number;
    /** A control message (session-reset.ts, receipts.ts), not a chat message: no history, no app events. */
    control?: 'session-reset' | 'receipt';
    /** The franking commitment to the text (base64url), sent beside the body for the server to stamp; text messages only. */
    commitment?: string;
    /** A sealed-sender envelope (sealed.ts): sent over POST /api/sealed, with no token, instead of the signed-in socket. */
    sealed?: true;
    /** For a sealed envelope: the recipient's access key (profile-key.ts), base64url, which the server asks for. */
    accessKey?: string;
    /**
     * The policy mode it was encrypted under (policy.ts), absent for e2ee: it travels so even if the
     * mode changes before it leaves (nothing is re-encrypted), and the send frame says so.
     */
    mode?: EnvelopeMode;
    /**
     * key-escrow: the access field (base64url; @envelope/crypto escrow.ts) made with the body, from the
     * same message key. Kept with it, so a queued envelope travels with the field it was made with.
     */
    access?: string;
}
/** Fetches a user's prekey bundle from the server (consuming one-time prekeys). */
export type BundleFetcher = (username: Username) => Promise<BundleResponse>;
export declare function assertContactName(contact: string, self: Username): asserts contact is Username;
export declare function keyChangedError(contact: Username): ClientError;
/**
 * `contact`'s prekey bundle, its identity keys checked against what we trust:
 * keys seen for the first time are trusted (TOFU, in the returned record, not
 * yet stored); a changed key or a new device is recorded as pending (stored)
 * and throws KEY_CHANGED.
 */
export declare function checkedBundle(device: DeviceContext, contact: Username, record: ContactRecord | undefined, fetchBundle: BundleFetcher): Promise<{
    bundle: BundleResponse;
    contactRecord: ContactRecord;
}>;
/**
 * A session record for every device of `contact` we will send to. Fetches the
 * bundle only when some trusted device has no session yet. Throws KEY_CHANGED
 * (after recording the change) if the bundle shows a key we do not trust.
 * `renew` names a device to open a new session with even though one exists
 * (a session reset); the old one is kept as a previous session, for late messages.
 */
export declare function ensureSessions(device: DeviceContext, contact: Username, fetchBundle: BundleFetcher, options?: {
    renew?: DeviceId;
}): Promise<Map<DeviceId, SessionRecord>>;
/**
 * Encrypts `text` for every device of `to` under `mode` (policy.ts: the
 * sessions, or sealed to the server in transport-only) and stores the new
 * session states, the outbox entries and the sent-history record in one
 * atomic put. Returns the entries to put on the wire.
 */
export declare function prepareTextMessage(device: DeviceContext, to: string, text: string, fetchBundle: BundleFetcher, options?: {
    sealWith?: {
        certificate: Uint8Array;
        accessKey: string;
    };
    mode?: SendingMode;
}): Promise<{
    messageId: MessageId;
    envelopes: OutboxEntry[];
}>;
/**
 * Encrypts a control message for the given sessions, or seals it to the
 * server for the given devices (transport-only, policy.ts), and stores the
 * sessions and outbox entries (with `alsoPut`) in one atomic put; no sent
 * history. `sealWith`: a sender certificate, to send it with sealed sender.
 */
export declare function prepareControlMessage(device: DeviceContext, to: Username, plaintext: Uint8Array, recipients: ReadonlyMap<DeviceId, SessionRecord> | TransportRecipients, control: NonNullable<OutboxEntry['control']>, alsoPut?: Record<string, unknown>, sealWith?: {
    certificate: Uint8Array;
    accessKey: string;
}, escrow?: EscrowAnnouncement): Promise<OutboxEntry[]>;
/** Outbox entries in the order they were created. */
export declare function loadOutbox(device: Pick<DeviceContext, 'store'>): Promise<OutboxEntry[]>;
