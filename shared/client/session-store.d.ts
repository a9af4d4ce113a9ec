import type { DeviceId, Username } from '@envelope/protocol';
import { type SessionRecord } from './session-record.js';
import type { ClientStore } from './store.js';
export declare const SessionKind: import("./store-records.js").RecordKind<SessionRecord>;
export declare function loadSessionRecord(store: ClientStore, contact: Username, deviceId: DeviceId): Promise<SessionRecord | null>;
/** The store entry that saves `record` (to merge into one atomic put). */
export declare function sessionEntry(contact: Username, deviceId: DeviceId, record: SessionRecord): Record<string, unknown>;
