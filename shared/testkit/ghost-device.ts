/**
 * What a malicious (or compelled) operator can do without any client's help:
 * add a device to someone's account, with keys the operator holds. A row in
 * its own `devices` table and prekeys beside it, written straight into the
 * database; the server then hands that device out in the account's bundle like
 * any other. Used by tests that check clients never let such a device in
 * silently (the "ghost" of some lawful-access proposals). Test-only.
 */
import { fromBase64Url } from '@envelope/crypto-public';
import { generateAccountKeys, type NewAccountKeys } from '@envelope/client-core';
import { PreKeyUploadSchema, type Username } from '@envelope/protocol';
import type { Db } from '@envelope/server/storage/database.js';
import { prekeysRepo } from '@envelope/server/storage/prekeys-repo.js';

/** Adds device `deviceId` to `username`'s account; returns its keys (private halves included, as the operator has them). Needs libsodium loaded. */
export function addGhostDevice(db: Db, username: string, serverUrl: string, deviceId = 2, now = Date.now()): NewAccountKeys {
  const generated = generateAccountKeys(username as Username, serverUrl, now);
  const { identityKey, ...prekeyUpload } = generated.upload;
  const upload = PreKeyUploadSchema.parse(prekeyUpload);
  db.transaction(() => {
    db.prepare('INSERT INTO devices (username, device_id, identity_key, registered_at) VALUES (?, ?, ?, ?)').run(
      username,
      deviceId,
      fromBase64Url(identityKey, 'identityKey'),
      now,
    );
    const prekeys = prekeysRepo(db);
    prekeys.setSignedPreKey(username, deviceId, upload.signedPreKey!, now);
    prekeys.addOneTimePreKeys(username, deviceId, upload.oneTimePreKeys ?? []);
    prekeys.addKemPreKeys(username, deviceId, upload.kemPreKeys ?? []);
  })();
  return generated;
}
