/**
 * Sending, up to the wire: find or open a session with every device of the
 * recipient, encrypt once per device, and store the new session states together
 * with the ciphertexts (the outbox) in one atomic put, before anything is sent.
 * After a crash the outbox still holds exactly what the sessions produced, and
 * resending it is safe: the server stores a given (recipient, device, id) once.
 */
import { toBase64Url, utf8Encode, commitToMessage, isCryptoError } from '@envelope/crypto-public';
import { type PreKeyBundle, type SessionDisclosure, buildAccessField, createInitiatorSession, wipeDisclosure } from '@envelope/crypto';
import { type BundleResponse, type DeviceBundle, type EnvelopeMode, type EscrowAnnouncement, isUsername, type DeviceId, type MessageId, type Username } from '@envelope/protocol';
import {
  checkIdentity,
  hasPendingKeyChange,
  newContact,
  recordKeyChange,
  trustOnFirstUse,
  type ContactRecord,
} from './contacts.js';
import type { DeviceContext } from './device.js';
import { ClientError, isClientError } from './errors.js';
import { newSentEntries, SENT_RECORD_VERSION, type SentRecord } from './history.js';
import { newMessageId } from './message-id.js';
import { encodeTextMessage } from './message-codec.js';
import { encryptWithRecord, withActiveSession, type SessionRecord } from './session-record.js';
import { loadSessionRecord, sessionEntry } from './session-store.js';
import { ownProfileKey } from './profile-key.js';
import { sealEnvelope } from './sealed.js';
import { ContactKind, OutboxKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';
import type { SendingMode } from './policy.js';
import { sealForDevices, transportRecipients, type TransportRecipients } from './transport-send.js';

export const OUTBOX_ENTRY_VERSION = 1;

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

/**
 * The rogue-client demonstration only (EnvelopeClient.enqueueRogue): makes the
 * access field in place of the compliant one, from the message's disclosure
 * (e.g. @envelope/crypto forgeAccessField, run in chunks), or null to give up.
 * Runs inside the client's queue, so the session waits for it.
 */
export type RogueAccessField = (disclosure: SessionDisclosure, checkBits: 16 | 64) => Uint8Array | null | Promise<Uint8Array | null>;

/** Fetches a user's prekey bundle from the server (consuming one-time prekeys). */
export type BundleFetcher = (username: Username) => Promise<BundleResponse>;

export function assertContactName(contact: string, self: Username): asserts contact is Username {
  if (!isUsername(contact)) throw new ClientError('INVALID_ARGUMENT', `"${contact}" is not a valid username`);
  if (contact === self) throw new ClientError('INVALID_ARGUMENT', 'cannot send a message to yourself');
}

export function keyChangedError(contact: Username): ClientError {
  return new ClientError(
    'KEY_CHANGED',
    `${contact}'s identity key has changed: compare safety numbers, then trust the new key to continue`,
    { contact },
  );
}

function toPreKeyBundle(device: DeviceBundle): PreKeyBundle {
  return { identityKey: device.identityKey, signedPreKey: device.signedPreKey, oneTimePreKey: device.oneTimePreKey, kemPreKey: device.kemPreKey };
}

/**
 * `contact`'s prekey bundle, its identity keys checked against what we trust:
 * keys seen for the first time are trusted (TOFU, in the returned record, not
 * yet stored); a changed key or a new device is recorded as pending (stored)
 * and throws KEY_CHANGED.
 */
export async function checkedBundle(
  device: DeviceContext,
  contact: Username,
  record: ContactRecord | undefined,
  fetchBundle: BundleFetcher,
): Promise<{ bundle: BundleResponse; contactRecord: ContactRecord }> {
  const bundle = await fetchBundle(contact).catch((error: unknown) => {
    if (isClientError(error, 'UNKNOWN_USER')) throw new ClientError('UNKNOWN_USER', `no user named ${contact}`, { contact });
    throw error;
  });
  if (bundle.username !== contact) throw new ClientError('PROTOCOL_ERROR', `asked for ${contact}'s keys, got ${bundle.username}'s`);
  let contactRecord = record ?? newContact(contact);
  const firstUse = new Map<DeviceId, Uint8Array>();
  let changed = false;
  for (const entry of bundle.devices) {
    const check = checkIdentity(record, entry.deviceId, entry.identityKey);
    if (check === 'first-use') firstUse.set(entry.deviceId, entry.identityKey);
    if (check === 'changed') {
      contactRecord = recordKeyChange(contactRecord, entry.deviceId, entry.identityKey, device.now());
      changed = true;
    }
  }
  if (changed) {
    await device.store.put({ [keys.contact(contact)]: contactRecord });
    for (const deviceId of Object.keys(contactRecord.pending)) device.onKeyChange(contact, Number(deviceId) as DeviceId);
    throw keyChangedError(contact);
  }
  return { bundle, contactRecord: trustOnFirstUse(contactRecord, firstUse, device.now()) };
}

/**
 * A session record for every device of `contact` we will send to. Fetches the
 * bundle only when some trusted device has no session yet. Throws KEY_CHANGED
 * (after recording the change) if the bundle shows a key we do not trust.
 * `renew` names a device to open a new session with even though one exists
 * (a session reset); the old one is kept as a previous session, for late messages.
 */
export async function ensureSessions(
  device: DeviceContext,
  contact: Username,
  fetchBundle: BundleFetcher,
  options: { renew?: DeviceId } = {},
): Promise<Map<DeviceId, SessionRecord>> {
  const { store } = device;
  const record = await readRecord(store, ContactKind, keys.contact(contact));
  if (hasPendingKeyChange(record)) throw keyChangedError(contact);

  const sessions = new Map<DeviceId, SessionRecord>();
  const trustedDevices = Object.keys(record?.devices ?? {}).map((id) => Number(id) as DeviceId);
  for (const deviceId of trustedDevices) {
    const session = await loadSessionRecord(store, contact, deviceId);
    if (session) sessions.set(deviceId, session);
  }
  const renewed = options.renew === undefined ? null : (sessions.get(options.renew) ?? null);
  if (options.renew !== undefined) sessions.delete(options.renew);
  if (trustedDevices.length > 0 && sessions.size === trustedDevices.length) return sessions;

  const { bundle, contactRecord } = await checkedBundle(device, contact, record, fetchBundle);

  // The bundle is now the device list. Devices that already have a session keep it.
  const result = new Map<DeviceId, SessionRecord>();
  const entries: Record<string, unknown> = { [keys.contact(contact)]: contactRecord };
  for (const entry of bundle.devices) {
    const existing = sessions.get(entry.deviceId);
    if (existing) {
      result.set(entry.deviceId, existing);
      continue;
    }
    // Every device registers a last-resort ML-KEM prekey, so a bundle without
    // one is a server stripping the post-quantum part (a downgrade to X3DH).
    if (entry.kemPreKey === undefined) {
      throw new ClientError('PROTOCOL_ERROR', `${contact}'s prekey bundle has no post-quantum (ML-KEM) prekey: refusing a downgraded handshake`, { contact });
    }
    let opened: SessionRecord;
    try {
      const kept = entry.deviceId === options.renew ? renewed : null;
      opened = withActiveSession(kept, createInitiatorSession(device.identity, toPreKeyBundle(entry)));
    } catch (error) {
      // A bundle whose signatures do not verify is a broken or hostile server: never use it.
      if (isCryptoError(error)) throw new ClientError('PROTOCOL_ERROR', `${contact}'s prekey bundle is invalid (${error.code})`);
      throw error;
    }
    result.set(entry.deviceId, opened);
    Object.assign(entries, sessionEntry(contact, entry.deviceId, opened));
  }
  // Storing the opened sessions now keeps the one-time prekeys they used from being wasted.
  await store.put(entries);
  return result;
}

/**
 * Encrypts `plaintext` once per session: the outbox entries, and the store entries (sessions and outbox) to put.
 * `escrow` (key-escrow, policy.ts): each envelope gets its access field, from the very message key that
 * encrypted it (@envelope/crypto escrow.ts); the key is wiped once the field is built. Never sealed then.
 */
async function encryptForDevices(
  device: DeviceContext,
  to: Username,
  plaintext: Uint8Array,
  sessions: ReadonlyMap<DeviceId, SessionRecord>,
  now: number,
  extra: Pick<OutboxEntry, 'control' | 'commitment'> = {},
  sealWith?: { certificate: Uint8Array; accessKey: string },
  escrow?: EscrowAnnouncement,
  rogue?: RogueAccessField,
): Promise<{ messageId: MessageId; envelopes: OutboxEntry[]; entries: Record<string, unknown>; padded: Uint8Array; sessionMessages: string[] }> {
  const messageId = newMessageId();
  const envelopes: OutboxEntry[] = [];
  /** Per envelope, the session message (base64url): inside the sealed body when sealed, the body itself otherwise. */
  const sessionMessages: string[] = [];
  const entries: Record<string, unknown> = {};
  let padded: Uint8Array | null = null;
  for (const [deviceId, record] of sessions) {
    const encrypted = encryptWithRecord(record, plaintext, { disclose: escrow !== undefined });
    let access: string | undefined;
    if (escrow) {
      try {
        const field = rogue ? await rogue(encrypted.disclosure!, escrow.checkBits) : buildAccessField(escrow.publicKey, escrow.checkBits, encrypted.disclosure!);
        // A rogue that found no passing field sends nothing: no session was stored, so nothing was spent.
        if (field === null) throw new ClientError('INVALID_ARGUMENT', 'no access field that passes the check was found: nothing was sent');
        access = toBase64Url(field);
      } finally {
        wipeDisclosure(encrypted.disclosure);
      }
    }
    padded ??= encrypted.padded; // padding is deterministic: the same bytes for every device
    // Sealed: the session message goes inside a sealed envelope to this device's identity key (sealed.ts).
    // Padded to the size of a first contact of the same bucket, whoever sends (sealed-sender.ts).
    const body = sealWith
      ? sealEnvelope(device.identity, record.active.ratchet.remoteIdentityKey, sealWith.certificate, encrypted.ciphertext, encrypted.padded.length)
      : encrypted.ciphertext;
    const envelope: OutboxEntry = {
      v: OUTBOX_ENTRY_VERSION,
      id: envelopes.length === 0 ? messageId : newMessageId(),
      messageId,
      to,
      toDevice: deviceId,
      body: toBase64Url(body),
      createdAt: now,
      order: device.nextOrder(),
      ...extra,
      ...(sealWith ? { sealed: true as const, accessKey: sealWith.accessKey } : {}),
      ...(access !== undefined ? { mode: 'key-escrow' as const, access } : {}),
    };
    envelopes.push(envelope);
    sessionMessages.push(sealWith ? toBase64Url(encrypted.ciphertext) : envelope.body);
    Object.assign(entries, sessionEntry(to, deviceId, encrypted.record), { [keys.outbox(envelope.id)]: envelope });
  }
  if (padded === null) throw new ClientError('UNKNOWN_USER', `${to} has no devices to send to`, { contact: to });
  return { messageId, envelopes, entries, padded, sessionMessages };
}

/** The e2ee mode: the default for callers that do not say (the client always says: policy.ts). */
const E2EE: SendingMode = { mode: 'e2ee' };

/**
 * Encrypts `text` for every device of `to` under `mode` (policy.ts: the
 * sessions, or sealed to the server in transport-only) and stores the new
 * session states, the outbox entries and the sent-history record in one
 * atomic put. Returns the entries to put on the wire.
 */
export async function prepareTextMessage(
  device: DeviceContext,
  to: string,
  text: string,
  fetchBundle: BundleFetcher,
  options: { sealWith?: { certificate: Uint8Array; accessKey: string }; mode?: SendingMode; rogue?: RogueAccessField } = {},
): Promise<{ messageId: MessageId; envelopes: OutboxEntry[] }> {
  assertContactName(to, device.self.username);
  const now = device.now();
  const mode = options.mode ?? E2EE;
  // Key escrow sends signed in (ESCROW.md's simplification): the escrow opens a retained body with the
  // message key, and a sealed body wraps the session message in a layer only the recipient can open.
  const sealWith = mode.mode === 'key-escrow' ? undefined : options.sealWith;
  // Franking: commit to the text under a fresh key that travels inside the ciphertext (franking.ts).
  const franking = commitToMessage(utf8Encode(text));
  // Our profile key rides along, so the recipient can seal messages back to us (profile-key.ts).
  const plaintext = encodeTextMessage(text, now, franking.frankingKey, await ownProfileKey(device.store));
  const extra = { commitment: toBase64Url(franking.commitment) };
  const { messageId, envelopes, entries, padded, sessionMessages } =
    mode.mode === 'transport-only'
      ? { ...sealForDevices(device, to, plaintext, await transportRecipients(device, to, fetchBundle, mode.transportKey), now, extra, sealWith), sessionMessages: null }
      : await encryptForDevices(device, to, plaintext, await ensureSessions(device, to, fetchBundle), now, extra, sealWith, mode.mode === 'key-escrow' ? mode.escrow : undefined, options.rogue);
  const history: SentRecord = {
    v: SENT_RECORD_VERSION,
    id: messageId,
    to,
    text,
    createdAt: now,
    order: envelopes[0]!.order,
    padded: toBase64Url(padded),
    envelopes: envelopes.map((e, i) => ({
      id: e.id,
      toDevice: e.toDevice,
      body: e.body,
      state: 'queued',
      storedAt: null,
      deliveredAt: null,
      ...(sealWith && sessionMessages ? { sessionMessage: sessionMessages[i]! } : {}),
      ...(e.access !== undefined ? { access: e.access } : {}),
    })),
    state: 'queued',
    ...(sealWith ? { sealed: true as const, certificate: toBase64Url(sealWith.certificate) } : {}),
    ...(mode.mode !== 'e2ee' ? { mode: mode.mode } : {}),
  };
  // Sessions, outbox and history in one put: nothing sent is ever missing from the history.
  await device.store.put({ ...entries, ...newSentEntries(history) });
  return { messageId, envelopes };
}

/**
 * Encrypts a control message for the given sessions, or seals it to the
 * server for the given devices (transport-only, policy.ts), and stores the
 * sessions and outbox entries (with `alsoPut`) in one atomic put; no sent
 * history. `sealWith`: a sender certificate, to send it with sealed sender.
 */
export async function prepareControlMessage(
  device: DeviceContext,
  to: Username,
  plaintext: Uint8Array,
  recipients: ReadonlyMap<DeviceId, SessionRecord> | TransportRecipients,
  control: NonNullable<OutboxEntry['control']>,
  alsoPut: Record<string, unknown> = {},
  sealWith?: { certificate: Uint8Array; accessKey: string },
  escrow?: EscrowAnnouncement,
): Promise<OutboxEntry[]> {
  const { envelopes, entries } =
    recipients instanceof Map
      ? await encryptForDevices(device, to, plaintext, recipients, device.now(), { control }, escrow ? undefined : sealWith, escrow)
      : sealForDevices(device, to, plaintext, recipients as TransportRecipients, device.now(), { control }, sealWith);
  await device.store.put({ ...entries, ...alsoPut });
  return envelopes;
}

/** Outbox entries in the order they were created. */
export async function loadOutbox(device: Pick<DeviceContext, 'store'>): Promise<OutboxEntry[]> {
  const entries: OutboxEntry[] = [];
  for (const key of await device.store.list(keys.outboxPrefix)) {
    const entry = await readRecord(device.store, OutboxKind, key);
    if (entry) entries.push(entry);
  }
  return entries.sort((a, b) => a.order - b.order);
}
