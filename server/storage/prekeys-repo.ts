/**
 * Prekeys the server holds for each device: public halves only. Handing out a
 * one-time key deletes it in the same statement (DELETE … RETURNING), so two
 * concurrent fetches can never receive the same key.
 */
import type { Db } from './database.js';

export interface StoredSignedPreKey {
  readonly id: number;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}
export interface StoredOneTimePreKey {
  readonly id: number;
  readonly publicKey: Uint8Array;
}
export interface StoredKemPreKey {
  readonly id: number;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
  readonly lastResort: boolean;
}

export interface TakenBundle {
  readonly signedPreKey: StoredSignedPreKey;
  readonly oneTimePreKey: StoredOneTimePreKey | undefined;
  readonly kemPreKey: StoredKemPreKey | undefined;
}

export interface PreKeyCounts {
  oneTimePreKeys: number;
  kemPreKeys: number;
}

export function prekeyCountKey(username: string, deviceId: number): string {
  return `${username}\u0000${deviceId}`;
}

export function prekeysRepo(db: Db) {
  const upsertSigned = db.prepare(
    `INSERT INTO signed_prekeys (username, device_id, key_id, public_key, signature, uploaded_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (username, device_id) DO UPDATE SET key_id = excluded.key_id, public_key = excluded.public_key,
       signature = excluded.signature, uploaded_at = excluded.uploaded_at`,
  );
  const insertOneTime = db.prepare('INSERT INTO one_time_prekeys (username, device_id, key_id, public_key) VALUES (?, ?, ?, ?)');
  const insertKem = db.prepare(
    'INSERT INTO kem_prekeys (username, device_id, key_id, public_key, signature, last_resort) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const clearLastResort = db.prepare('DELETE FROM kem_prekeys WHERE username = ? AND device_id = ? AND last_resort = 1');
  const selectSigned = db.prepare<[string, number], { key_id: number; public_key: Buffer; signature: Buffer }>(
    'SELECT key_id, public_key, signature FROM signed_prekeys WHERE username = ? AND device_id = ?',
  );
  const popOneTime = db.prepare<[string, number, string, number], { key_id: number; public_key: Buffer }>(
    `DELETE FROM one_time_prekeys WHERE rowid = (
       SELECT rowid FROM one_time_prekeys WHERE username = ? AND device_id = ? ORDER BY key_id LIMIT 1)
     AND username = ? AND device_id = ? RETURNING key_id, public_key`,
  );
  const popKem = db.prepare<[string, number, string, number], { key_id: number; public_key: Buffer; signature: Buffer }>(
    `DELETE FROM kem_prekeys WHERE rowid = (
       SELECT rowid FROM kem_prekeys WHERE username = ? AND device_id = ? AND last_resort = 0 ORDER BY key_id LIMIT 1)
     AND username = ? AND device_id = ? RETURNING key_id, public_key, signature`,
  );
  const selectLastResort = db.prepare<[string, number], { key_id: number; public_key: Buffer; signature: Buffer }>(
    'SELECT key_id, public_key, signature FROM kem_prekeys WHERE username = ? AND device_id = ? AND last_resort = 1',
  );
  const countOneTime = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM one_time_prekeys WHERE username = ? AND device_id = ?',
  );
  const countKem = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM kem_prekeys WHERE username = ? AND device_id = ? AND last_resort = 0',
  );
  const countAllOneTime = db.prepare<[], { username: string; device_id: number; n: number }>(
    'SELECT username, device_id, count(*) AS n FROM one_time_prekeys GROUP BY username, device_id',
  );
  const countAllKem = db.prepare<[], { username: string; device_id: number; n: number }>(
    'SELECT username, device_id, count(*) AS n FROM kem_prekeys WHERE last_resort = 0 GROUP BY username, device_id',
  );
  const deleteAll = [
    db.prepare('DELETE FROM signed_prekeys WHERE username = ? AND device_id = ?'),
    db.prepare('DELETE FROM one_time_prekeys WHERE username = ? AND device_id = ?'),
    db.prepare('DELETE FROM kem_prekeys WHERE username = ? AND device_id = ?'),
  ];
  const existsOneTime = db.prepare<[string, number, number], { n: number }>(
    'SELECT count(*) AS n FROM one_time_prekeys WHERE username = ? AND device_id = ? AND key_id = ?',
  );
  const existsKem = db.prepare<[string, number, number], { n: number }>(
    'SELECT count(*) AS n FROM kem_prekeys WHERE username = ? AND device_id = ? AND key_id = ?',
  );

  const signedRow = (row: { key_id: number; public_key: Buffer; signature: Buffer } | undefined): StoredSignedPreKey | undefined =>
    row && { id: row.key_id, publicKey: new Uint8Array(row.public_key), signature: new Uint8Array(row.signature) };

  return {
    setSignedPreKey(username: string, deviceId: number, key: StoredSignedPreKey, now: number): void {
      upsertSigned.run(username, deviceId, key.id, key.publicKey, key.signature, now);
    },
    /** The signed prekey bundles carry now. */
    signedPreKey(username: string, deviceId: number): StoredSignedPreKey | undefined {
      return signedRow(selectSigned.get(username, deviceId));
    },
    /** The last-resort KEM prekey bundles fall back to now. */
    lastResortKemPreKey(username: string, deviceId: number): StoredKemPreKey | undefined {
      const row = selectLastResort.get(username, deviceId);
      return row && { ...signedRow(row)!, lastResort: true };
    },
    /** True if any of these ids is already stored for the device (one-time or KEM). */
    hasAnyId(username: string, deviceId: number, oneTimeIds: readonly number[], kemIds: readonly number[]): boolean {
      return (
        oneTimeIds.some((id) => existsOneTime.get(username, deviceId, id)!.n > 0) ||
        kemIds.some((id) => existsKem.get(username, deviceId, id)!.n > 0)
      );
    },
    addOneTimePreKeys(username: string, deviceId: number, keys: readonly StoredOneTimePreKey[]): void {
      for (const key of keys) insertOneTime.run(username, deviceId, key.id, key.publicKey);
    },
    /** Adds KEM prekeys; a new last-resort key replaces the old one. */
    addKemPreKeys(username: string, deviceId: number, keys: readonly StoredKemPreKey[]): void {
      if (keys.some((k) => k.lastResort)) clearLastResort.run(username, deviceId);
      for (const key of keys) insertKem.run(username, deviceId, key.id, key.publicKey, key.signature, key.lastResort ? 1 : 0);
    },
    /**
     * Call inside a transaction: takes one one-time key of each kind (or the
     * last-resort KEM key); with `withOneTime` false, takes none and hands out
     * the signed and last-resort keys only.
     */
    takeBundle(username: string, deviceId: number, withOneTime: boolean): TakenBundle | undefined {
      const signed = selectSigned.get(username, deviceId);
      if (!signed) return undefined;
      const oneTime = withOneTime ? popOneTime.get(username, deviceId, username, deviceId) : undefined;
      const oneTimeKem = withOneTime ? popKem.get(username, deviceId, username, deviceId) : undefined;
      const kem = oneTimeKem ?? selectLastResort.get(username, deviceId);
      return {
        signedPreKey: signedRow(signed)!,
        oneTimePreKey: oneTime && { id: oneTime.key_id, publicKey: new Uint8Array(oneTime.public_key) },
        kemPreKey: kem && {
          id: kem.key_id,
          publicKey: new Uint8Array(kem.public_key),
          signature: new Uint8Array(kem.signature),
          lastResort: oneTimeKem === undefined,
        },
      };
    },
    /** Deletes every prekey of a device (identity reset: they were signed by the old key). */
    deleteAll(username: string, deviceId: number): void {
      for (const statement of deleteAll) statement.run(username, deviceId);
    },
    counts(username: string, deviceId: number): PreKeyCounts {
      return { oneTimePreKeys: countOneTime.get(username, deviceId)!.n, kemPreKeys: countKem.get(username, deviceId)!.n };
    },
    /** Every device's counts at once (the operator's list), keyed by prekeyCountKey; a device with none is absent. */
    allCounts(): Map<string, PreKeyCounts> {
      const counts = new Map<string, PreKeyCounts>();
      const entry = (username: string, deviceId: number) => {
        const key = prekeyCountKey(username, deviceId);
        let found = counts.get(key);
        if (!found) counts.set(key, (found = { oneTimePreKeys: 0, kemPreKeys: 0 }));
        return found;
      };
      for (const row of countAllOneTime.all()) entry(row.username, row.device_id).oneTimePreKeys = row.n;
      for (const row of countAllKem.all()) entry(row.username, row.device_id).kemPreKeys = row.n;
      return counts;
    },
  };
}

export type PrekeysRepo = ReturnType<typeof prekeysRepo>;
