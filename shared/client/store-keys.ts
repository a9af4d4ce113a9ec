/**
 * The layout of a profile in a ClientStore: one function per kind of record, so
 * no other file spells a key by hand. Usernames ([a-z0-9_-]), device ids and
 * message ids (base64url) contain no "/", so prefixes never collide.
 */
import type { DeviceId, MessageId, Username } from '@envelope/protocol';

export const keys = {
  /** SelfRecord: this device's account and identity key pair. */
  self: 'self',
  signedPreKey: (id: number) => `spk/${id}`,
  oneTimePreKey: (id: number) => `otk/${id}`,
  kemPreKey: (id: number) => `kem/${id}`,
  /** Every prekey of this device (resetKeys replaces them all). */
  preKeyPrefixes: ['spk/', 'otk/', 'kem/'],
  /** ContactRecord: the identity keys we trust for a contact, and any change awaiting a decision. */
  contact: (username: Username) => `contact/${username}`,
  contactPrefix: 'contact/',
  /** SerializedSessionRecord for one device of a contact. */
  session: (username: Username, deviceId: DeviceId) => `session/${username}/${deviceId}`,
  sessionPrefix: (username: Username) => `session/${username}/`,
  allSessionsPrefix: 'session/',
  /** OutboxEntry: a ciphertext not yet confirmed stored by the server. */
  outbox: (id: MessageId) => `outbox/${id}`,
  outboxPrefix: 'outbox/',
  /** InboxEntry: a received message (or a report that one could not be read), until the app removes it. */
  inbox: (id: MessageId) => `inbox/${id}`,
  inboxPrefix: 'inbox/',
  /** HeldEntry: a message from a contact whose key changed, kept unread until trustNewKey. */
  held: (id: MessageId) => `held/${id}`,
  heldPrefix: 'held/',
  /** Envelope ids already handled (at-least-once delivery repeats them); value: when. */
  seen: (id: MessageId) => `seen/${id}`,
  seenPrefix: 'seen/',
  /** SentRecord: a message this device sent (history, delivery state, and what the X-ray shows), by message id. */
  sent: (id: MessageId) => `sent/${id}`,
  sentPrefix: 'sent/',
  /** The message id an envelope belongs to, for envelopes to a second (third, ...) device, whose ids differ from it. */
  sentEnvelope: (id: MessageId) => `sentenv/${id}`,
  /** ReceivedRaw: a received envelope's body as it arrived (and its decrypted bytes), for the X-ray, by envelope id. */
  received: (id: MessageId) => `rx/${id}`,
  /** PendingReceipt: a message we stored whose sender's device has not yet been sent a receipt (receipts.ts). */
  pendingReceipt: (username: Username, deviceId: DeviceId, id: MessageId) => `receipt/${username}/${deviceId}/${id}`,
  pendingReceiptPrefix: 'receipt/',
  /** ResetNoticeRecord: when we last sent `username` a session-reset (session-reset.ts), to send at most one per interval. */
  resetNotice: (username: Username) => `resetnotice/${username}`,
  /** ClientSettings (sealed.ts). */
  settings: 'settings',
  /** The server's sender-certificate key, base64url, pinned on first use (sealed.ts). */
  serverCertificateKey: 'servercertkey',
  /** This device's current sender certificate and its expiry (sealed.ts). */
  senderCertificate: 'sendercert',
  /** This device's profile key, base64url (profile-key.ts): it travels inside our messages; contacts derive our access key from it. */
  profileKey: 'profilekey',
  /** The access key the server is known to hold for us, base64url (profile-key.ts). */
  accessKeyRegistered: 'accesskeyregistered',
  /** PendingKeyReset: new keys made by resetKeys() and not yet confirmed by the server. */
  pendingReset: 'reset',
} as const;

/** The last path segment of a key (the id or username it was built from). */
export function keySuffix(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
