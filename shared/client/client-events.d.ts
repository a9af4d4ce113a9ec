/** What an EnvelopeClient tells its app (the CLI, the web UI, a test). */
import type { PreKeyStatus, DeviceId, MessageId, PolicyAnnouncement, Username } from '@envelope/protocol';
import type { ConnectionStatus } from './connection.js';
import type { ClientError } from './errors.js';
import type { TextInboxEntry, UndecryptableInboxEntry } from './incoming.js';
export interface ClientEvents {
    /** connecting → online (after 'ready') → offline (dropped; retrying with backoff). */
    status: ConnectionStatus;
    /** The server has delivered the backlog, and every message in it has been handled. */
    ready: {
        username: Username;
        deviceId: DeviceId;
    };
    /** A message was decrypted and stored in the inbox (and acked). */
    message: TextInboxEntry;
    /** A message could not be read; it is stored in the inbox with the reason (and acked). */
    undecryptable: UndecryptableInboxEntry;
    /** A message was stored unread because its sender's key changed: see trustNewKey. */
    held: {
        id: MessageId;
        contact: Username;
        deviceId: DeviceId;
    };
    /** A contact's identity key changed (or a new device appeared); nothing is sent to them until trustNewKey. */
    'key-changed': {
        contact: Username;
        deviceId: DeviceId;
    };
    /** The server stored an envelope we sent (durably). */
    stored: {
        id: MessageId;
        messageId: MessageId;
        to: Username;
        storedAt: number;
    };
    /** The recipient's device confirmed an envelope we sent, in an encrypted receipt (receipts.ts); `at` is when the server stored the receipt. */
    delivered: {
        id: MessageId;
        messageId: MessageId;
        to: Username;
        toDevice: DeviceId;
        at: number;
    };
    /**
     * Something in the conversation with `contact` changed: a message sent,
     * stored, delivered, failed, received, held, released by trustNewKey,
     * found unreadable, or reported unreadable by the contact (a session reset,
     * session-reset.ts). The app re-reads conversation(contact).
     */
    conversation: {
        contact: Username;
    };
    /** This device now has a new identity key (resetKeys); contacts will see a key change. */
    'keys-reset': {
        username: Username;
        deviceId: DeviceId;
    };
    /** The server refused an envelope for good (e.g. the recipient no longer exists); it left the outbox. */
    'send-failed': {
        id: MessageId;
        messageId: MessageId;
        to: Username;
        error: ClientError;
    };
    /** New one-time prekeys were uploaded. */
    'prekeys-refilled': PreKeyStatus;
    /**
     * Another client (another browser tab or window) took this profile over: this
     * one has stopped sending and receiving, for good. Its queued messages stay
     * in the outbox for the new owner to send.
     */
    'ownership-lost': {
        error: ClientError;
    };
    /** The signed prekey and last-resort KEM prekey were replaced (prekey-rotation.ts): the server hands out these ids now. */
    'prekeys-rotated': {
        signedPreKeyId: number;
        lastResortKemPreKeyId: number;
    };
    /**
     * The server's policy mode (policy.ts): its `policy` frame (after sign-in and
     * on every change) or an answer to GET /api/policy. Its `mode` may be one
     * this app does not know (isPolicyMode): then sending fails with
     * UNKNOWN_POLICY_MODE, and the app should say so.
     */
    policy: PolicyAnnouncement;
    /** A problem in the background (connection, refill, a malformed frame). */
    error: ClientError;
}
