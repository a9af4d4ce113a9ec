/**
 * Registering this device's account: keys are generated and stored first, then
 * the server is asked. If the answer is lost (a crash, a dropped connection),
 * the profile holds keys but is not marked registered; registering the same
 * name again first tries to log in with those keys, and if that works the
 * earlier attempt did reach the server and the profile is marked registered.
 */
import { toBase64Url } from '@envelope/crypto-public';
import type { IdentityKeyPair } from '@envelope/crypto';
import { isUsername, type Username, USERNAME_RULE, type AGE_BANDS } from '@envelope/protocol';
import { logIn, signRegistration } from './auth.js';
import { ClientError, isClientError } from './errors.js';
import { loadIdentity, type SelfRecord } from './key-storage.js';
import { generateAccountKeys } from './own-prekeys.js';
import { accessKeyRegisteredEntry, ownAccessKey } from './profile-key.js';
import type { ServerApi, SessionGranted } from './server-api.js';
import type { ClientStore } from './store.js';
import { SelfKind } from './record-schemas.js';
import { keys } from './store-keys.js';
import { readRecord } from './store-records.js';

export type AgeBand = (typeof AGE_BANDS)[number];

export interface RegisterOptions {
  /** Declared age band, as platforms ask at sign-up (the server's metadata signals use it). */
  readonly ageBand?: AgeBand;
}

/** The stored account, or null for a fresh profile. */
export async function loadSelf(store: ClientStore): Promise<SelfRecord | null> {
  return (await readRecord(store, SelfKind, keys.self)) ?? null;
}

export async function registerAccount(
  store: ClientStore,
  api: ServerApi,
  serverUrl: string,
  username: string,
  options: RegisterOptions,
  now: () => number,
): Promise<{ self: SelfRecord; identity: IdentityKeyPair; granted: SessionGranted }> {
  if (!isUsername(username)) throw new ClientError('INVALID_ARGUMENT', `"${username}" is not a valid username: ${USERNAME_RULE}`);
  const existing = await loadSelf(store);
  if (existing?.registered) {
    throw new ClientError('ALREADY_REGISTERED', `this profile already holds the account ${existing.username}`, { username: existing.username });
  }

  // An unfinished registration of the same name may have reached the server
  // with these keys: if they log in, it did.
  if (existing && existing.username === username) {
    const identity = loadIdentity(existing.identity);
    const granted = await logIn(api, existing, identity).catch((error: unknown) => {
      if (isClientError(error, 'AUTH_FAILED')) return null;
      throw error;
    });
    if (granted) return markRegistered(store, existing, identity, granted, serverUrl);
  }

  const { self, identity, upload, entries } = generateAccountKeys(username as Username, serverUrl, now());
  await store.put(entries);
  const accessKey = await ownAccessKey(store);
  const { challenge } = await api.challenge();
  let granted: SessionGranted;
  try {
    granted = await api.register({
      username: self.username,
      ...upload,
      accessKey,
      ...(options.ageBand ? { ageBand: options.ageBand } : {}),
      challenge: toBase64Url(challenge),
      signature: signRegistration(identity, challenge, self.username),
    });
  } catch (error) {
    if (isClientError(error, 'USERNAME_TAKEN')) throw new ClientError('USERNAME_TAKEN', `the username ${username} is taken`, { username });
    throw error;
  }
  await store.put(accessKeyRegisteredEntry(accessKey));
  return markRegistered(store, self, identity, granted, serverUrl);
}

async function markRegistered(
  store: ClientStore,
  self: SelfRecord,
  identity: IdentityKeyPair,
  granted: SessionGranted,
  serverUrl: string,
): Promise<{ self: SelfRecord; identity: IdentityKeyPair; granted: SessionGranted }> {
  if (granted.username !== self.username) throw new ClientError('PROTOCOL_ERROR', `registered ${self.username}, the server answered for ${granted.username}`);
  const registered: SelfRecord = { ...self, deviceId: granted.deviceId, serverUrl, registered: true };
  await store.put({ [keys.self]: registered });
  return { self: registered, identity, granted };
}
