/** Bearer tokens for authenticated devices, stored only as SHA-256 hashes. */
import type { Db } from './database.js';

export function tokensRepo(db: Db) {
  const insert = db.prepare('INSERT INTO auth_tokens (token_hash, username, device_id, expires_at) VALUES (?, ?, ?, ?)');
  const select = db.prepare<[Uint8Array, number], { username: string; device_id: number; expires_at: number }>(
    'SELECT username, device_id, expires_at FROM auth_tokens WHERE token_hash = ? AND expires_at > ?',
  );
  const deleteExpired = db.prepare('DELETE FROM auth_tokens WHERE expires_at <= ?');
  const deleteForDevice = db.prepare('DELETE FROM auth_tokens WHERE username = ? AND device_id = ?');
  return {
    insert(tokenHash: Uint8Array, username: string, deviceId: number, expiresAt: number): void {
      insert.run(tokenHash, username, deviceId, expiresAt);
    },
    find(tokenHash: Uint8Array, now: number): { username: string; deviceId: number; expiresAt: number } | undefined {
      const row = select.get(tokenHash, now);
      return row && { username: row.username, deviceId: row.device_id, expiresAt: row.expires_at };
    },
    /** Revokes every token of one device. */
    deleteForDevice(username: string, deviceId: number): number {
      return deleteForDevice.run(username, deviceId).changes;
    },
    deleteExpired(now: number): number {
      return deleteExpired.run(now).changes;
    },
  };
}

export type TokensRepo = ReturnType<typeof tokensRepo>;
