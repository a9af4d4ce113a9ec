/**
 * The address log (migration 4): which network address signed up, signed in,
 * connected to the relay or sent a sealed envelope, and when. Written only
 * when STORE_ADDRESSES=on (domain/address-log.ts decides); one row per event,
 * never per relayed envelope.
 */
import type { ADDRESS_EVENTS } from '@envelope/protocol';
import type { Db } from './database.js';

export type AddressEvent = (typeof ADDRESS_EVENTS)[number];

export interface AddressRecord {
  readonly seq: number;
  readonly at: number;
  readonly address: string;
  readonly event: AddressEvent;
  readonly username: string | null;
  readonly deviceId: number | null;
  readonly messageId: string | null;
}

interface AddressRow {
  seq: number;
  at: number;
  address: string;
  event: string;
  username: string | null;
  device_id: number | null;
  message_id: string | null;
}

const COLUMNS = 'seq, at, address, event, username, device_id, message_id';

function toRecord(row: AddressRow): AddressRecord {
  return {
    seq: row.seq,
    at: row.at,
    address: row.address,
    event: row.event as AddressEvent,
    username: row.username,
    deviceId: row.device_id,
    messageId: row.message_id,
  };
}

export function addressRepo(db: Db) {
  const insert = db.prepare('INSERT INTO address_log (at, address, event, username, device_id, message_id) VALUES (?, ?, ?, ?, ?, ?)');
  const ofAccount = db.prepare<[string, number], AddressRow>(`SELECT ${COLUMNS} FROM address_log WHERE username = ? ORDER BY seq DESC LIMIT ?`);
  const countOfAccount = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM address_log WHERE username = ?');
  // Sealed sends from any address the account was seen at: the name sealed sender hid, given back by the address.
  const sealedFromAccountAddresses = db.prepare<[string, number], AddressRow>(
    `SELECT ${COLUMNS} FROM address_log WHERE event = 'sealed-send'
       AND address IN (SELECT address FROM address_log WHERE username = ?) ORDER BY seq DESC LIMIT ?`,
  );
  const countSealedFromAccountAddresses = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM address_log WHERE event = 'sealed-send' AND address IN (SELECT address FROM address_log WHERE username = ?)`,
  );
  const purge = db.prepare('DELETE FROM address_log WHERE at < ?');

  return {
    record(event: AddressEvent, address: string, at: number, who: { username: string; deviceId: number } | null, messageId: string | null = null): void {
      insert.run(at, address, event, who?.username ?? null, who?.deviceId ?? null, messageId);
    },
    /** The account's own events, newest first, and how many there are in all. */
    ofAccount(username: string, limit: number): { total: number; records: AddressRecord[] } {
      return { total: countOfAccount.get(username)!.n, records: ofAccount.all(username, limit).map(toRecord) };
    },
    /** Sealed sends that came from an address the account itself used, newest first. */
    sealedFromAccountAddresses(username: string, limit: number): { total: number; records: AddressRecord[] } {
      return { total: countSealedFromAccountAddresses.get(username)!.n, records: sealedFromAccountAddresses.all(username, limit).map(toRecord) };
    },
    /** Deletes events older than `before` (ms); returns how many. */
    purgeBefore(before: number): number {
      return purge.run(before).changes;
    },
  };
}

export type AddressRepo = ReturnType<typeof addressRepo>;
