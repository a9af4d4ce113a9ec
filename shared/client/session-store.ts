/** Loading and storing SessionRecords, with storage errors turned into the client's error type. */
import type { DeviceId, Username } from '@envelope/protocol';
import { ClientError } from './errors.js';
import { deserializeSessionRecord, serializeSessionRecord, type SessionRecord } from './session-record.js';
import type { ClientStore } from './store.js';
import { keys } from './store-keys.js';

export async function loadSessionRecord(store: ClientStore, contact: Username, deviceId: DeviceId): Promise<SessionRecord | null> {
  const stored = await store.get(keys.session(contact, deviceId));
  if (stored === undefined) return null;
  try {
    return deserializeSessionRecord(stored);
  } catch {
    throw new ClientError('STORE_CORRUPT', `stored session with ${contact} (device ${deviceId}) is unreadable`);
  }
}

/** The store entry that saves `record` (to merge into one atomic put). */
export function sessionEntry(contact: Username, deviceId: DeviceId, record: SessionRecord): Record<string, unknown> {
  return { [keys.session(contact, deviceId)]: serializeSessionRecord(record) };
}
