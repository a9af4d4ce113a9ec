/**
 * Safety numbers (Signal's numeric fingerprint, shared/crypto/safety-number.ts)
 * and the "verified" mark a user sets after comparing them in person.
 *
 * The contact's side covers every device we encrypt to (all trusted devices),
 * not one: each device has its own identity key here, so a number over one
 * device would let a server-added device read along unseen. Our own side is
 * this device's key: an account has one device (there is no device linking),
 * so the set our contact should see for us is exactly that key.
 */
import { utf8Encode } from '@envelope/crypto-public';
import { formatSafetyNumber, numericFingerprint, safetyNumberKey, safetyNumberKeys } from '@envelope/crypto';
import type { DeviceId, Username } from '@envelope/protocol';
import { hasPendingKeyChange, trustedIdentityKeys, type ContactRecord } from './contacts.js';
import type { DeviceContext } from './device.js';
import { ClientError } from './errors.js';
import { ContactKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

export interface SafetyNumber {
  readonly contact: Username;
  /** 60 digits in twelve groups of five, space-separated, as people read them out. */
  readonly safetyNumber: string;
  readonly verified: boolean;
  /** A new key is waiting for trustNewKey: this number is for the key still trusted. */
  readonly keyChangePending: boolean;
  /** The contact's devices the number covers: every device we encrypt to (one, unless the server added others). */
  readonly deviceIds: DeviceId[];
}

async function knownContact(device: DeviceContext, contact: Username): Promise<ContactRecord> {
  const record = await readRecord(device.store, ContactKind, keys.contact(contact));
  if (record === undefined || trustedIdentityKeys(record).length === 0) {
    throw new ClientError('UNKNOWN_USER', `no identity key known for ${contact} yet`, { contact });
  }
  return record;
}

export async function computeSafetyNumber(device: DeviceContext, contact: Username): Promise<SafetyNumber> {
  const record = await knownContact(device, contact);
  const theirs = trustedIdentityKeys(record);
  const digits = await numericFingerprint(
    utf8Encode(device.self.username),
    safetyNumberKey(device.identity.publicKey),
    utf8Encode(contact),
    safetyNumberKeys(theirs.map(({ identityKey }) => identityKey)),
  );
  return {
    contact,
    safetyNumber: formatSafetyNumber(digits).join(' '),
    verified: record.verified,
    keyChangePending: hasPendingKeyChange(record),
    deviceIds: theirs.map(({ deviceId }) => deviceId),
  };
}

/** Marks the contact verified. Refused while a key change is pending: that key is not the one compared. */
export async function markVerified(device: DeviceContext, contact: Username): Promise<void> {
  const record = await knownContact(device, contact);
  if (hasPendingKeyChange(record)) {
    throw new ClientError('KEY_CHANGED', `${contact}'s identity key has changed: trust the new key before verifying it`, { contact });
  }
  await device.store.put({ [keys.contact(contact)]: { ...record, verified: true } });
}
