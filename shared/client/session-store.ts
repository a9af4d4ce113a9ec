/**
 * Loading and storing SessionRecords. The stored form is the crypto layer's
 * (shared/crypto/session.ts, parsed strictly there); a record it refuses is
 * the client's STORE_CORRUPT naming the key.
 */
import { z } from 'zod';
import type { DeviceId, Username } from '@envelope/protocol';
import { deserializeSessionRecord, serializeSessionRecord, type SessionRecord } from './session-record.js';
import type { ClientStore } from './store.js';
import { keys } from './store-keys.js';
import { readRecord, recordKind } from './store-records.js';

export const SessionKind = recordKind<SessionRecord>(
  'session',
  z.unknown().transform((stored, ctx) => {
    try {
      return deserializeSessionRecord(stored);
    } catch (error) {
      // The crypto layer's messages name the field and the rule, never a key.
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'malformed' });
      return z.NEVER;
    }
  }),
);

export async function loadSessionRecord(store: ClientStore, contact: Username, deviceId: DeviceId): Promise<SessionRecord | null> {
  return (await readRecord(store, SessionKind, keys.session(contact, deviceId))) ?? null;
}

/** The store entry that saves `record` (to merge into one atomic put). */
export function sessionEntry(contact: Username, deviceId: DeviceId, record: SessionRecord): Record<string, unknown> {
  return { [keys.session(contact, deviceId)]: serializeSessionRecord(record) };
}
