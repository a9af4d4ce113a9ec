/**
 * resetKeys: the "I reinstalled the app" demo. The device keeps its account,
 * device id, contacts and history, but starts over with a new identity key and
 * fresh prekeys; every contact sees the new key as a key change.
 *
 *   1. New keys are made and stored under keys.pendingReset, apart from the
 *      keys in use (which keep working until the server agrees).
 *   2. PUT /api/devices/self/identity, authenticated by the current token and
 *      signed by the new key over registrationProof with a fresh challenge, as
 *      at registration.
 *   3. One atomic put: the new identity and prekeys replace the old ones, every
 *      session is dropped (they were made with the old key), and the pending
 *      record goes.
 *
 * If the server answers with a refusal, it changed nothing: the pending record
 * is discarded and the old identity stays in use. If no answer came (a timeout,
 * a dropped connection), the request may have landed, so the pending record is
 * kept; the next resetKeys() first tries to log in with it, and if that works
 * the earlier attempt did reach the server and the swap is finished with those
 * keys (as registerAccount does for a lost registration answer).
 */
import { toBase64Url } from '@envelope/crypto-public';
import type { IdentityKeyPair } from '@envelope/crypto';
import { logIn, signRegistration } from './auth.js';
import { isClientError } from './errors.js';
import { loadIdentity, type SelfRecord } from './key-storage.js';
import { generateReplacementKeys, type NewAccountKeys } from './own-prekeys.js';
import type { ServerApi, SessionGranted } from './server-api.js';
import type { ClientStore } from './store.js';
import { PendingResetKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

export const PENDING_RESET_VERSION = 1;

export interface PendingKeyReset {
  v: typeof PENDING_RESET_VERSION;
  createdAt: number;
  /** The SelfRecord to adopt once the server agrees (new identity, new prekey ids). */
  self: SelfRecord;
  /** The new prekeys' store entries, written by the swap. */
  preKeys: Record<string, unknown>;
  /** The public halves, as IdentityResetRequest wants them. */
  upload: NewAccountKeys['upload'];
}

export interface ResetOutcome {
  readonly self: SelfRecord;
  readonly identity: IdentityKeyPair;
  readonly granted: SessionGranted;
}

/** Runs an authenticated request (TokenSource.authed of the identity in use). */
export type Authed = <T>(request: (token: string) => Promise<T>) => Promise<T>;

/** Makes new keys for `self` and stores them as the pending reset (replacing any earlier one). */
export async function startKeyReset(store: ClientStore, self: SelfRecord, now: number): Promise<PendingKeyReset> {
  const generated = generateReplacementKeys(self, now);
  const { [keys.self]: _newSelf, ...preKeys } = generated.entries;
  const pending: PendingKeyReset = { v: PENDING_RESET_VERSION, createdAt: now, self: generated.self, preKeys, upload: generated.upload };
  await store.put({ [keys.pendingReset]: pending });
  return pending;
}

/** The reset request, signed by the new key over a fresh challenge. */
export async function requestKeyReset(api: ServerApi, authed: Authed, pending: PendingKeyReset): Promise<SessionGranted> {
  const identity = loadIdentity(pending.self.identity);
  return authed(async (token) => {
    // A fresh challenge per attempt: a retry after a 401 must not reuse a spent one.
    const { challenge } = await api.challenge();
    return api.resetIdentity(
      { ...pending.upload, challenge: toBase64Url(challenge), signature: signRegistration(identity, challenge, pending.self.username) },
      token,
    );
  });
}

/** Whether an earlier attempt reached the server: the pending key logs in. Null if it did not. */
export async function pendingResetLanded(api: ServerApi, pending: PendingKeyReset): Promise<SessionGranted | null> {
  try {
    return await logIn(api, pending.self, loadIdentity(pending.self.identity));
  } catch (error) {
    if (isClientError(error, 'AUTH_FAILED')) return null;
    throw error;
  }
}

/** The swap, in one atomic put: new identity and prekeys in, old prekeys and every session out. */
export async function completeKeyReset(store: ClientStore, pending: PendingKeyReset): Promise<{ self: SelfRecord; identity: IdentityKeyPair }> {
  const entries: Record<string, unknown> = {};
  for (const prefix of [...keys.preKeyPrefixes, keys.allSessionsPrefix]) {
    for (const key of await store.list(prefix)) entries[key] = undefined;
  }
  Object.assign(entries, pending.preKeys, { [keys.self]: pending.self, [keys.pendingReset]: undefined });
  await store.put(entries);
  return { self: pending.self, identity: loadIdentity(pending.self.identity) };
}

export async function discardKeyReset(store: ClientStore): Promise<void> {
  await store.put({ [keys.pendingReset]: undefined });
}

/**
 * The whole reset. `current` is the identity in use; throws (leaving it in
 * use) if the server refuses or cannot be reached.
 */
export async function resetIdentity(store: ClientStore, api: ServerApi, authed: Authed, current: SelfRecord, now: number): Promise<ResetOutcome> {
  const earlier = await readRecord(store, PendingResetKind, keys.pendingReset);
  if (earlier?.v === PENDING_RESET_VERSION) {
    const granted = await pendingResetLanded(api, earlier);
    if (granted) return { ...(await completeKeyReset(store, earlier)), granted };
  }
  const pending = await startKeyReset(store, current, now);
  let granted: SessionGranted;
  try {
    granted = await requestKeyReset(api, authed, pending);
  } catch (error) {
    // No answer: it may have landed, keep the keys to check next time. An answer: it did not.
    if (!isClientError(error, 'SERVER_UNREACHABLE')) await discardKeyReset(store);
    throw error;
  }
  return { ...(await completeKeyReset(store, pending)), granted };
}
