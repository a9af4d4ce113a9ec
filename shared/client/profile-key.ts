/**
 * Sealed sender's delivery credential on the client (shared/crypto/access-key.ts).
 *
 * This device's profile key is made once and travels inside every text message
 * we send (message-codec.ts `pk`), so everyone we write to can derive our access
 * key; the server holds only the access key, registered at sign-up or, for
 * profiles made before this existed, uploaded when the client connects.
 *
 * A contact's profile key arrives the same way, in their messages to us, and is
 * kept in their contact record. With it we can seal to them; without it (they
 * have never written to us) the server would refuse a sealed envelope, so the
 * message goes with our name: a stranger's first message cannot be sealed.
 *
 * Left out, as the README says: Signal rotates the profile key when the user
 * blocks someone, so the blocked person's copy stops working. There is no
 * blocking here, and no rotation.
 */
import { deriveAccessKey, generateProfileKey, PROFILE_KEY_BYTES, fromBase64Url, toBase64Url } from '@envelope/crypto-public';
import type { Username } from '@envelope/protocol';
import type { ClientStore } from './store.js';
import { AccessKeyRegisteredKind, ContactKind, ProfileKeyKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

/** This device's profile key, made and stored on first use. */
export async function ownProfileKey(store: ClientStore): Promise<Uint8Array> {
  const stored = await readRecord(store, ProfileKeyKind, keys.profileKey);
  if (stored !== undefined) return stored;
  const made = generateProfileKey();
  await store.put({ [keys.profileKey]: made });
  return made;
}

/** Our access key, base64url (what the server is given). */
export async function ownAccessKey(store: ClientStore): Promise<string> {
  return toBase64Url(deriveAccessKey(await ownProfileKey(store)));
}

/** Records that the server holds `accessKey` for us. */
export function accessKeyRegisteredEntry(accessKey: string): Record<string, unknown> {
  return { [keys.accessKeyRegistered]: accessKey };
}

/**
 * Uploads our access key unless the server is known to hold this one (an
 * account registered before access keys existed, or whose upload was lost).
 */
export async function ensureAccessKeyRegistered(store: ClientStore, upload: (accessKey: string) => Promise<void>): Promise<void> {
  const accessKey = await ownAccessKey(store);
  if ((await readRecord(store, AccessKeyRegisteredKind, keys.accessKeyRegistered)) === accessKey) return;
  await upload(accessKey);
  await store.put(accessKeyRegisteredEntry(accessKey));
}

/** The access key for sealing to `contact`, base64url; undefined until they have written to us. */
export async function contactAccessKey(store: ClientStore, contact: Username): Promise<string | undefined> {
  const record = await readRecord(store, ContactKind, keys.contact(contact));
  if (record?.profileKey === undefined) return undefined;
  return toBase64Url(deriveAccessKey(fromBase64Url(record.profileKey, 'profile key', PROFILE_KEY_BYTES)));
}
