/**
 * The layout of a profile in a ClientStore: one function per kind of record, so
 * no other file spells a key by hand. Usernames ([a-z0-9_-]), device ids and
 * message ids (base64url) contain no "/", so prefixes never collide.
 */
import type { DeviceId, MessageId, Username } from '@envelope/protocol';
export declare const keys: {
    /** SelfRecord: this device's account and identity key pair. */
    readonly self: "self";
    readonly signedPreKey: (id: number) => string;
    readonly oneTimePreKey: (id: number) => string;
    readonly kemPreKey: (id: number) => string;
    /** Every prekey of this device (resetKeys replaces them all). */
    readonly preKeyPrefixes: readonly ["spk/", "otk/", "kem/"];
    /** ContactRecord: the identity keys we trust for a contact, and any change awaiting a decision. */
    readonly contact: (username: Username) => string;
    readonly contactPrefix: "contact/";
    /** SerializedSessionRecord for one device of a contact. */
    readonly session: (username: Username, deviceId: DeviceId) => string;
    readonly sessionPrefix: (username: Username) => string;
    readonly allSessionsPrefix: "session/";
    /** OutboxEntry: a ciphertext not yet confirmed stored by the server. */
    readonly outbox: (id: MessageId) => string;
    readonly outboxPrefix: "outbox/";
    /** InboxEntry: a received message (or a report that one could not be read), until the app removes it. */
    readonly inbox: (id: MessageId) => string;
    readonly inboxPrefix: "inbox/";
    /** HeldEntry: a message from a contact whose key changed, kept unread until trustNewKey. */
    readonly held: (id: MessageId) => string;
    readonly heldPrefix: "held/";
    /** Envelope ids already handled (at-least-once delivery repeats them); value: when. */
    readonly seen: (id: MessageId) => string;
    readonly seenPrefix: "seen/";
    /** SentRecord: a message this device sent (history, delivery state, and what the X-ray shows), by message id. */
    readonly sent: (id: MessageId) => string;
    readonly sentPrefix: "sent/";
    /** The message id an envelope belongs to, for envelopes to a second (third, ...) device, whose ids differ from it. */
    readonly sentEnvelope: (id: MessageId) => string;
    /** ReceivedRaw: a received envelope's body as it arrived (and its decrypted bytes), for the X-ray, by envelope id. */
    readonly received: (id: MessageId) => string;
    /** PendingReceipt: a message we stored whose sender's device has not yet been sent a receipt (receipts.ts). */
    readonly pendingReceipt: (username: Username, deviceId: DeviceId, id: MessageId) => string;
    readonly pendingReceiptPrefix: "receipt/";
    /** ResetNoticeRecord: when we last sent `username` a session-reset (session-reset.ts), to send at most one per interval. */
    readonly resetNotice: (username: Username) => string;
    /** ClientSettings (sealed.ts). */
    readonly settings: "settings";
    /** The server's sender-certificate key, base64url, pinned on first use (sealed.ts). */
    readonly serverCertificateKey: "servercertkey";
    /** This device's current sender certificate and its expiry (sealed.ts). */
    readonly senderCertificate: "sendercert";
    /** This device's profile key, base64url (profile-key.ts): it travels inside our messages; contacts derive our access key from it. */
    readonly profileKey: "profilekey";
    /** The access key the server is known to hold for us, base64url (profile-key.ts). */
    readonly accessKeyRegistered: "accesskeyregistered";
    /** PendingKeyReset: new keys made by resetKeys() and not yet confirmed by the server. */
    readonly pendingReset: "reset";
};
/** The last path segment of a key (the id or username it was built from). */
export declare function keySuffix(key: string): string;
