/**
 * Automatic session reset, as Signal's clients did it. When a contact's
 * message cannot be decrypted because we have no session it belongs to (we
 * reset our keys, or lost our state, and they still write with the old
 * session), nothing the contact does will fix it: they do not know. So we
 * start a new session to them ourselves, from a freshly fetched bundle, and
 * send a small control message over it ('session-reset', message-codec.ts).
 *
 * On their side it is an ordinary prekey message: if our identity key
 * changed, it is held and they get the key-change warning (the user decides);
 * if not, it simply replaces the session. Either way it is consumed silently,
 * never shown as a chat message, and the envelope ids it names (ours that we
 * could not read) are flagged in their history.
 *
 * The loop guard: at most one notice per contact per SESSION_RESET_INTERVAL_MS,
 * recorded in the same put as the notice's outbox entry. Two clients that
 * cannot read each other (a corrupting network, a bug) would otherwise answer
 * each other's notices forever.
 */
import { toBase64Url } from '@envelope/crypto-public';
import type { DeviceId, MessageId, Username } from '@envelope/protocol';
import type { DeviceContext } from './device.js';
import { loadInbox, type UndecryptableInboxEntry } from './incoming.js';
import { encodeSessionReset } from './message-codec.js';
import { ensureSessions, prepareControlMessage, type BundleFetcher, type OutboxEntry } from './outgoing.js';
import type { SendingMode } from './policy.js';
import { ResetNoticeKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

/**
 * One notice per contact per hour, as Signal's clients rate-limited theirs: a
 * stuck pair costs two messages an hour, not a flood. A key reset of our own
 * allows a new notice at once (the user did something; it cannot loop).
 */
export const SESSION_RESET_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Reasons that mean "no session of ours reads this": the contact writes with a
 * session we no longer have. Not DUPLICATE_MESSAGE (the session is fine),
 * INVALID_MESSAGE or PROTOCOL_ERROR (it decrypted, or never could), nor
 * SEALED_SENDER_UNSUPPORTED (we cannot tell who sent it).
 */
export const SESSION_LOST_REASONS: ReadonlySet<string> = new Set(['NO_SESSION', 'DECRYPT_FAILED', 'UNKNOWN_PREKEY', 'INVALID_STATE']);

export const RESET_NOTICE_VERSION = 1;

export interface ResetNoticeRecord {
  v: typeof RESET_NOTICE_VERSION;
  /** When we last sent this contact a notice (our clock). */
  sentAt: number;
  /** Our identity key (base64url) when we sent it. */
  identityKey: string;
}

export type SessionLostEntry = UndecryptableInboxEntry & { from: Username; fromDevice: DeviceId };

export function isSessionLost(entry: UndecryptableInboxEntry): entry is SessionLostEntry {
  return entry.from !== null && entry.fromDevice !== null && SESSION_LOST_REASONS.has(entry.reason);
}

/** Whether the guard lets us send `contact` a notice now. */
export function noticeAllowed(previous: ResetNoticeRecord | undefined, identityKey: string, now: number): boolean {
  if (previous?.v !== RESET_NOTICE_VERSION || previous.identityKey !== identityKey) return true;
  return now - previous.sentAt >= SESSION_RESET_INTERVAL_MS || now < previous.sentAt; // a clock set back does not block for ever
}

/**
 * Prepares the notice to `contact` after `lost`: a new session to its device,
 * the control message in the outbox, and the guard record, in one put.
 * Returns the envelopes to transmit, or [] if the guard says not now or the
 * mode is transport-only. Throws
 * what ensureSessions throws (KEY_CHANGED if the contact's key changed too).
 */
export async function prepareSessionReset(
  device: DeviceContext,
  lost: SessionLostEntry,
  fetchBundle: BundleFetcher,
  mode: SendingMode = { mode: 'e2ee' },
): Promise<OutboxEntry[]> {
  // A notice is a new Double Ratchet session: transport-only makes none (policy.ts; key-escrow keeps the ratchet). The message that
  // could not be read stays so here; the contact's next e2ee message we cannot read starts one, once
  // the mode is back to e2ee.
  if (mode.mode === 'transport-only') return [];
  const { store } = device;
  const contact = lost.from;
  const identityKey = toBase64Url(device.identity.publicKey);
  const previous = await readRecord(store, ResetNoticeKind, keys.resetNotice(contact));
  const now = device.now();
  if (!noticeAllowed(previous, identityKey, now)) return [];

  const renewed = (await ensureSessions(device, contact, fetchBundle, { renew: lost.fromDevice })).get(lost.fromDevice);
  if (!renewed) return []; // that device is gone from their bundle: nobody to tell
  // Only the device that wrote: the contact's other devices' sessions are fine.
  const sessions = new Map([[lost.fromDevice, renewed]]);
  const unreadable = await unreadableSince(device, contact, previous?.identityKey === identityKey ? previous.sentAt : -Infinity);
  const notice: ResetNoticeRecord = { v: RESET_NOTICE_VERSION, sentAt: now, identityKey };
  // Under key-escrow the notice carries an access field like every envelope (outgoing.ts).
  return prepareControlMessage(
    device,
    contact,
    encodeSessionReset(unreadable, now),
    sessions,
    'session-reset',
    { [keys.resetNotice(contact)]: notice },
    undefined,
    mode.mode === 'key-escrow' ? mode.escrow : undefined,
  );
}

/** Envelope ids from `contact` we could not read for want of a session, received after `after`, oldest first. */
async function unreadableSince(device: DeviceContext, contact: Username, after: number): Promise<MessageId[]> {
  return (await loadInbox(device))
    .filter((entry) => entry.kind === 'undecryptable' && entry.from === contact && isSessionLost(entry) && entry.receivedAt >= after)
    .map((entry) => entry.id);
}
