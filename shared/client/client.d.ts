import { type PolicyAnnouncement, type PreKeyStatus, type StoredEnvelope, type FiledReport, type ReportReason, type MessageId } from '@envelope/protocol';
import { type RegisterOptions } from './account.js';
import type { ClientEvents } from './client-events.js';
import type { AccountName, EnvelopeClientOptions, PendingSend, SendResult } from './client-types.js';
import { type ConnectionStatus } from './connection.js';
import { type ContactSummary } from './contacts.js';
import { type ConversationEntry } from './conversation-view.js';
import { Emitter } from './events.js';
import { type InboxEntry, type IncomingOutcome } from './incoming.js';
import { type OutboxEntry } from './outgoing.js';
import { type RotatedPreKeys } from './prekey-rotation.js';
import { type SafetyNumber } from './safety.js';
import { type ClientSettings } from './sealed.js';
import { type XRay } from './xray.js';
export type { EnvelopeClientOptions, PendingSend, SendResult } from './client-types.js';
export declare class EnvelopeClient {
    #private;
    readonly events: Emitter<ClientEvents>;
    private constructor();
    /**
     * Loads the profile in `store` (registered or not), and takes it over: a
     * client that had it open before can no longer change it (ownership.ts).
     * The shell decides whether taking over is wanted (a browser tab asks the
     * user first). Loads libsodium first.
     */
    static open(options: EnvelopeClientOptions): Promise<EnvelopeClient>;
    /** This profile's account, or null before register(). */
    get account(): AccountName | null;
    /** The server this client talks to. */
    get serverUrl(): string;
    /**
     * The server's policy mode as last announced (its `policy` frame, or
     * refreshPolicy()); null until one is known. Its `mode` may be one this app
     * does not know: then nothing is sent (UNKNOWN_POLICY_MODE).
     */
    get policy(): PolicyAnnouncement | null;
    /** Asks the server for its policy mode now (GET /api/policy); fires 'policy'. */
    refreshPolicy(): Promise<PolicyAnnouncement>;
    get status(): ConnectionStatus;
    register(username: string, options?: RegisterOptions): Promise<AccountName>;
    /** False once another client took this profile over: this one no longer sends or receives. */
    get ownsProfile(): boolean;
    /** Opens the WebSocket and keeps it open (reconnecting) until close(). */
    connect(): void;
    /** Resolves at the next 'ready' (the backlog is delivered and handled); SERVER_UNREACHABLE after `timeoutMs`. */
    whenReady(timeoutMs?: number): Promise<void>;
    /**
     * Encrypts `text` for every device of `to`, stores it in the outbox, and
     * resolves once the server has stored it. If the connection is down it stays
     * in the outbox (also across restarts) and is resent on every reconnect; a
     * caller that stops waiting loses nothing.
     */
    send(to: string, text: string): Promise<SendResult>;
    /**
     * Like send, but resolves as soon as the message is encrypted and in the
     * outbox (durable on this device), with its id and a promise of the
     * server's confirmation: for callers that want to say "queued" before "sent".
     */
    enqueue(to: string, text: string): Promise<PendingSend>;
    /** This device's settings (sealed.ts). */
    settings(): Promise<ClientSettings>;
    /**
     * Sealed sender on or off for messages sent from now on: when on, the server
     * is not told who sends them (it still sees the recipient, the time, the size
     * and the network address). Only to people who have written to us: to anyone
     * else a message still carries our name (PendingSend.unsealedBecause), as the
     * server refuses strangers' sealed envelopes. Receipts for what arrived
     * sealed, and all our receipts while it is on, go sealed too (receipts.ts).
     */
    setSealedSender(on: boolean): Promise<ClientSettings>;
    /** Received messages (and reports of unreadable ones), oldest first: the device's history, or only what is unread. */
    messages(options?: {
        unreadOnly?: boolean;
    }): Promise<InboxEntry[]>;
    /** Marks messages as shown, so `messages({ unreadOnly: true })` no longer lists them. */
    markRead(ids: readonly MessageId[]): Promise<void>;
    /** Deletes messages (received or sent) from this device's history. */
    removeMessages(ids: readonly MessageId[]): Promise<void>;
    /**
     * The conversation with `contact`, oldest first: what we sent (with its
     * delivery state) and what we received (read, held or unreadable). Ask again
     * on every 'conversation' event for that contact: after the first call it is
     * kept current in memory from this client's own writes (conversation-view.ts),
     * so asking reads nothing from the store.
     */
    conversation(contact: string): Promise<ConversationEntry[]>;
    /** What one message looked like on the way (see xray.ts); null for an unknown, held or unreadable message. */
    xray(id: MessageId): Promise<XRay | null>;
    /**
     * The server's own row for an envelope we sent or received (GET /api/envelopes/:id); NOT_FOUND if it has none.
     * For one we sent sealed, the server does not know we sent it, and asking with our token would tell it:
     * that row is asked for with no token, by its id and recipient (GET /api/envelopes/:id/sealed).
     */
    storedEnvelope(envelopeId: MessageId): Promise<StoredEnvelope>;
    /**
     * Reports a message we received to the server's moderators (report.ts): the
     * server sees that message's text, sender and time, and nothing else of the
     * conversation. NOT_REPORTABLE for a message that was not read here;
     * REPORT_REJECTED if the server's checks fail. The conversation then shows it as reported.
     */
    report(id: MessageId, reason?: ReportReason): Promise<FiledReport>;
    /**
     * "I reinstalled the app": a new identity key and fresh prekeys for this
     * device (key-reset.ts). Every session is dropped, so contacts see a key
     * change (and hold our messages) until they trust the new key. If the
     * server refuses, the old identity stays in use; if it cannot be reached,
     * calling resetKeys() again finishes or replaces the attempt.
     */
    resetKeys(): Promise<void>;
    /** Envelopes sent but not yet confirmed stored. */
    outbox(): Promise<OutboxEntry[]>;
    /** How many messages are held for a contact (or for everyone) until trustNewKey. */
    heldCount(contact?: string): Promise<number>;
    contacts(): Promise<ContactSummary[]>;
    /** The safety number with `contact`; fetches their keys first if we have never talked. */
    safetyNumber(contact: string): Promise<SafetyNumber>;
    markVerified(contact: string): Promise<void>;
    /** Accepts `contact`'s new identity key(s), clears 'verified', and releases held messages (as events). */
    trustNewKey(contact: string): Promise<IncomingOutcome[]>;
    /** Tops up one-time prekeys on the server (done automatically when the server says they run low). */
    refillPreKeys(counts?: {
        oneTimePreKeys: number;
        kemPreKeys: number;
    }): Promise<PreKeyStatus | null>;
    /**
     * Replaces the signed prekey and the last-resort KEM prekey when they have
     * been handed out for PREKEY_ROTATION_INTERVAL_MS, and deletes replaced ones
     * whose grace period is over (prekey-rotation.ts). Done automatically at
     * every 'ready' and prekey refill; null when no rotation was due.
     */
    rotatePreKeys(): Promise<RotatedPreKeys | null>;
    /** Lets queued work finish, closes the connection, and fails sends still waiting (their envelopes stay in the outbox). */
    close(): Promise<void>;
}
