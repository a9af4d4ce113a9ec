/** Accounts and their devices. Plain functions over prepared statements; no SQL outside storage/. */
import type { Db } from './database.js';

export interface AccountRecord {
  readonly username: string;
  readonly createdAt: number;
  readonly ageBand: string | null;
}

export interface DeviceRecord {
  readonly username: string;
  readonly deviceId: number;
  readonly identityKey: Uint8Array;
  readonly registeredAt: number;
}

interface DeviceRow {
  username: string;
  device_id: number;
  identity_key: Buffer;
  registered_at: number;
}

const toDevice = (row: DeviceRow): DeviceRecord => ({
  username: row.username,
  deviceId: row.device_id,
  identityKey: new Uint8Array(row.identity_key),
  registeredAt: row.registered_at,
});

export function accountsRepo(db: Db) {
  const insertAccount = db.prepare('INSERT INTO accounts (username, created_at, age_band) VALUES (?, ?, ?)');
  const insertDevice = db.prepare('INSERT INTO devices (username, device_id, identity_key, registered_at) VALUES (?, ?, ?, ?)');
  const selectAccount = db.prepare<[string], { username: string; created_at: number; age_band: string | null }>(
    'SELECT username, created_at, age_band FROM accounts WHERE username = ?',
  );
  const selectDevice = db.prepare<[string, number], DeviceRow>('SELECT * FROM devices WHERE username = ? AND device_id = ?');
  const selectDevices = db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE username = ? ORDER BY device_id');
  const selectAllDevices = db.prepare<[], DeviceRow>('SELECT * FROM devices ORDER BY username, device_id');
  const updateIdentity = db.prepare('UPDATE devices SET identity_key = ?, registered_at = ? WHERE username = ? AND device_id = ?');
  const selectAccessKey = db.prepare<[string], Buffer | null>('SELECT unidentified_access_key FROM accounts WHERE username = ?').pluck();
  const updateAccessKey = db.prepare('UPDATE accounts SET unidentified_access_key = ? WHERE username = ?');
  const selectAll = db.prepare<[], { username: string; created_at: number; age_band: string | null }>(
    'SELECT username, created_at, age_band FROM accounts ORDER BY created_at',
  );

  return {
    /** Inserts the account and its first device; false if the username is taken. */
    create(account: AccountRecord, device: Omit<DeviceRecord, 'username'>): boolean {
      if (selectAccount.get(account.username)) return false;
      insertAccount.run(account.username, account.createdAt, account.ageBand);
      insertDevice.run(account.username, device.deviceId, device.identityKey, device.registeredAt);
      return true;
    },
    account(username: string): AccountRecord | undefined {
      const row = selectAccount.get(username);
      return row && { username: row.username, createdAt: row.created_at, ageBand: row.age_band };
    },
    all(): AccountRecord[] {
      return selectAll.all().map((row) => ({ username: row.username, createdAt: row.created_at, ageBand: row.age_band }));
    },
    device(username: string, deviceId: number): DeviceRecord | undefined {
      const row = selectDevice.get(username, deviceId);
      return row && toDevice(row);
    },
    devices(username: string): DeviceRecord[] {
      return selectDevices.all(username).map(toDevice);
    },
    /** Every device of every account (the operator's listing), grouped by username. */
    allDevices(): Map<string, DeviceRecord[]> {
      const byAccount = new Map<string, DeviceRecord[]>();
      for (const device of selectAllDevices.all().map(toDevice)) {
        const list = byAccount.get(device.username);
        if (list) list.push(device);
        else byAccount.set(device.username, [device]);
      }
      return byAccount;
    },
    /** The account's unidentified access key (sealed sender); undefined if it has none, or no such account. */
    accessKey(username: string): Uint8Array | undefined {
      const key = selectAccessKey.get(username);
      return key ? new Uint8Array(key) : undefined;
    },
    /** Registers or replaces the account's access key; false if there is no such account. */
    setAccessKey(username: string, accessKey: Uint8Array): boolean {
      return updateAccessKey.run(accessKey, username).changes > 0;
    },
    /** A device starts over with a new identity key (identity reset); false if there is no such device. */
    replaceIdentityKey(username: string, deviceId: number, identityKey: Uint8Array, registeredAt: number): boolean {
      return updateIdentity.run(identityKey, registeredAt, username, deviceId).changes > 0;
    },
  };
}

export type AccountsRepo = ReturnType<typeof accountsRepo>;
