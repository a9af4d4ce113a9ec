/**
 * What we know about a contact's identity keys, per device: trust on first use,
 * and a held decision whenever a key changes.
 *
 * The first key we see for a contact (from a bundle, or from their first
 * prekey message) is trusted. After that, a different key for a known device,
 * or a device we did not know of (a server could add a "ghost" device to listen
 * in: DESIGN.md, policy modes), is never accepted silently: it is recorded as
 * pending, incoming messages that need it are held unread, sending is refused,
 * and the app asks the user. `acceptPendingKeys` is the user's "I trust the new
 * key"; it clears `verified`, since what was verified is no longer what is used.
 */
import { bytesEqual } from '@envelope/crypto-public';
import type { DeviceId, Username } from '@envelope/protocol';
import type { ClientStore } from './store.js';
import { ContactKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

export const CONTACT_RECORD_VERSION = 1;

export interface ContactRecord {
  v: typeof CONTACT_RECORD_VERSION;
  username: Username;
  /** Trusted identity keys (Ed25519), by device id. */
  devices: Record<string, { identityKey: Uint8Array; since: number }>;
  /** Keys seen but not trusted yet, by device id: the newest one seen wins. */
  pending: Record<string, { identityKey: Uint8Array; seenAt: number }>;
  /** The user compared safety numbers and marked them as matching. */
  verified: boolean;
  /**
   * Their profile key (base64url), from the newest message they sent us
   * (profile-key.ts): with it we can seal messages to them. Absent until they write.
   */
  profileKey?: string;
}

export type IdentityCheck =
  /** We know this contact and this key for this device. */
  | 'trusted'
  /** We have never seen this contact: trust on first use. */
  | 'first-use'
  /** A known contact shows a different key, or a device we did not know: hold. */
  | 'changed';

export function checkIdentity(record: ContactRecord | undefined, deviceId: DeviceId, identityKey: Uint8Array): IdentityCheck {
  if (record === undefined || Object.keys(record.devices).length === 0) return 'first-use';
  const known = record.devices[deviceId];
  return known !== undefined && bytesEqual(known.identityKey, identityKey) ? 'trusted' : 'changed';
}

export function newContact(username: Username): ContactRecord {
  return { v: CONTACT_RECORD_VERSION, username, devices: {}, pending: {}, verified: false };
}

/** Records keys seen for the first time (trust on first use). */
export function trustOnFirstUse(record: ContactRecord, keys: ReadonlyMap<DeviceId, Uint8Array>, now: number): ContactRecord {
  const devices = { ...record.devices };
  for (const [deviceId, key] of keys) devices[deviceId] = { identityKey: key, since: now };
  return { ...record, devices };
}

/** Records a changed (or new-device) key as pending; returns the same record if it was already pending. */
export function recordKeyChange(record: ContactRecord, deviceId: DeviceId, identityKey: Uint8Array, now: number): ContactRecord {
  const pending = record.pending[deviceId];
  if (pending && bytesEqual(pending.identityKey, identityKey)) return record;
  return { ...record, pending: { ...record.pending, [deviceId]: { identityKey, seenAt: now } } };
}

/** The record with the profile key a message of theirs carried; the same record if it is unchanged. */
export function withProfileKey(record: ContactRecord, profileKey: string): ContactRecord {
  return record.profileKey === profileKey ? record : { ...record, profileKey };
}

export function hasPendingKeyChange(record: ContactRecord | undefined, deviceId?: DeviceId): boolean {
  if (record === undefined) return false;
  return deviceId === undefined ? Object.keys(record.pending).length > 0 : record.pending[deviceId] !== undefined;
}

/** The user accepted the new keys: they become trusted, and the contact is no longer verified. */
export function acceptPendingKeys(record: ContactRecord, now: number): { record: ContactRecord; changedDevices: DeviceId[] } {
  const devices = { ...record.devices };
  const changedDevices: DeviceId[] = [];
  for (const [deviceId, { identityKey }] of Object.entries(record.pending)) {
    devices[deviceId] = { identityKey, since: now };
    changedDevices.push(Number(deviceId) as DeviceId);
  }
  return { record: { ...record, devices, pending: {}, verified: false }, changedDevices };
}

/**
 * The keys a safety number covers: every trusted device of the contact, in
 * device order. A device the server added before we first talked is trusted on
 * first use like the rest, but it is in the number, so the two people's numbers
 * no longer match; one added later is a key change (checkIdentity) until the
 * user trusts it, and then it is in the number too.
 */
export function trustedIdentityKeys(record: ContactRecord): { deviceId: DeviceId; identityKey: Uint8Array }[] {
  return Object.keys(record.devices)
    .map(Number)
    .sort((a, b) => a - b)
    .map((id) => ({ deviceId: id as DeviceId, identityKey: record.devices[id]!.identityKey }));
}

/** What an app shows in a contact list. */
export interface ContactSummary {
  readonly username: Username;
  readonly devices: DeviceId[];
  /** The user compared safety numbers and marked them as matching (for the key still trusted). */
  readonly verified: boolean;
  /** A new key awaits trustNewKey. (Older name of keyChanged, kept for existing callers.) */
  readonly keyChangePending: boolean;
  /** A new key awaits trustNewKey: show the safety-number warning. */
  readonly keyChanged: boolean;
  /**
   * The pending change happened while the contact was verified: the strong
   * warning ("the person you verified now has a different key"). Exact as
   * keyChanged && verified, because markVerified is refused while a change is
   * pending and trustNewKey clears both.
   */
  readonly changedAfterVerification: boolean;
}

export function summarizeContact(record: ContactRecord): ContactSummary {
  const keyChanged = hasPendingKeyChange(record);
  return {
    username: record.username,
    devices: Object.keys(record.devices).map((id) => Number(id) as DeviceId),
    verified: record.verified,
    keyChangePending: keyChanged,
    keyChanged,
    changedAfterVerification: keyChanged && record.verified,
  };
}

export async function loadContactSummaries(store: ClientStore): Promise<ContactSummary[]> {
  const summaries: ContactSummary[] = [];
  for (const key of await store.list(keys.contactPrefix)) {
    const record = await readRecord(store, ContactKind, key);
    if (record) summaries.push(summarizeContact(record));
  }
  return summaries;
}
