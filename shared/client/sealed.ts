/**
 * Sealed sender on the client (shared/crypto/sealed-sender.ts): the setting,
 * the server's certificate key (pinned on first use, like a contact's identity
 * key), this device's current sender certificate, and the wrapping of a
 * session message into a sealed envelope and back.
 *
 *   sealed envelope body = FRAME_SEALED ‖ sealSender(identity, recipient's identity key, certificate, session message, bucket)
 *
 * The session message inside is unchanged, so everything after unsealing (key
 * checks, decryption, the inbox) is the ordinary path. Every sealed body of a
 * plaintext bucket has the same size (sealedBodyLength), first contact or not,
 * whoever sends.
 */
import { concatBytes, fromBase64Url, FRAME_SEALED, decodeSenderCertificate, encodeSenderCertificate } from '@envelope/crypto-public';
import { type IdentityKeyPair, openSealedSender, sealedLength, sealSender } from '@envelope/crypto';
import { isUsername, type DeviceId, type Username, type SenderCertificateResponse } from '@envelope/protocol';
import { ClientError } from './errors.js';
import type { ClientStore } from './store.js';
import { SenderCertificateKind, ServerCertificateKeyKind, SettingsKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

/** Fetch a new certificate when the cached one has less than this left: a message may sit in the outbox a while. */
export const CERTIFICATE_REFRESH_MARGIN_MS = 60 * 60 * 1000;

export interface ClientSettings {
  /** Hide who sent our messages from the server (off by default, as the server's signals need the sender). */
  sealedSender: boolean;
}

const DEFAULT_SETTINGS: ClientSettings = { sealedSender: false };

export async function loadSettings(store: ClientStore): Promise<ClientSettings> {
  return { ...DEFAULT_SETTINGS, ...(await readRecord(store, SettingsKind, keys.settings)) };
}

export async function saveSettings(store: ClientStore, change: Partial<ClientSettings>): Promise<ClientSettings> {
  const settings = { ...(await loadSettings(store)), ...change };
  await store.put({ [keys.settings]: settings });
  return settings;
}

/** The server's certificate-signing key: stored on first use, and then that one is trusted. */
export async function pinnedServerKey(store: ClientStore, fetchKey: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const stored = await readRecord(store, ServerCertificateKeyKind, keys.serverCertificateKey);
  if (stored !== undefined) return stored;
  const key = await fetchKey();
  await store.put({ [keys.serverCertificateKey]: key });
  return key;
}

/** This device's sender certificate (encoded), fetched again when it is about to expire. */
export async function currentCertificate(store: ClientStore, fetchCertificate: () => Promise<SenderCertificateResponse>, now: number): Promise<Uint8Array> {
  const cached = await readRecord(store, SenderCertificateKind, keys.senderCertificate);
  if (cached && cached.expiresAt - now > CERTIFICATE_REFRESH_MARGIN_MS) return cached.certificate;
  const fresh = await fetchCertificate();
  // Decoded once, here at the network boundary, and kept as bytes.
  const certificate = fromBase64Url(fresh.certificate, 'certificate');
  await store.put({ [keys.senderCertificate]: { certificate, expiresAt: fresh.expiresAt } });
  return certificate;
}

/** The size of a sealed envelope body whose plaintext was padded to `plaintextBucket` bytes: the frame byte and the sealed message. */
export function sealedBodyLength(plaintextBucket: number): number {
  return 1 + sealedLength(plaintextBucket);
}

/** `plaintextBucket`: the length of the padded plaintext inside `sessionMessage` (EncryptResult.padded). */
export function sealEnvelope(identity: IdentityKeyPair, recipientIdentityKey: Uint8Array, certificate: Uint8Array, sessionMessage: Uint8Array, plaintextBucket: number): Uint8Array {
  const sealed = sealSender(identity, recipientIdentityKey, decodeSenderCertificate(certificate), sessionMessage, plaintextBucket);
  return concatBytes(Uint8Array.of(FRAME_SEALED), sealed);
}

export function isSealedBody(body: Uint8Array): boolean {
  return body[0] === FRAME_SEALED;
}

export interface Unsealed {
  readonly from: Username;
  readonly fromDevice: DeviceId;
  /** The identity key the certificate names, which the sealing proved the sender holds. */
  readonly identityKey: Uint8Array;
  readonly sessionMessage: Uint8Array;
  /** The certificate as it came inside (sender-certificate.ts encoding), for the X-ray. */
  readonly certificate: Uint8Array;
  /** The padding that made the envelope the size of any other of its bucket (sealed-sender.ts). */
  readonly paddingBytes: number;
}

/**
 * Opens a sealed envelope. The certificate must have been valid when the server
 * stored the envelope (`storedAt`), so a message read late, or held for a key
 * decision, still opens. Throws CryptoError (certificate invalid, expired, forged seal).
 */
export function unsealEnvelope(identity: IdentityKeyPair, body: Uint8Array, serverKey: Uint8Array, storedAt: number): Unsealed {
  const { certificate, content, paddingBytes } = openSealedSender(identity, body.subarray(1), serverKey, storedAt);
  if (!isUsername(certificate.sender)) throw new ClientError('PROTOCOL_ERROR', 'the sealed sender certificate names no valid username');
  return {
    from: certificate.sender,
    fromDevice: certificate.deviceId as DeviceId,
    identityKey: certificate.identityKey,
    sessionMessage: content,
    certificate: encodeSenderCertificate(certificate),
    paddingBytes,
  };
}
