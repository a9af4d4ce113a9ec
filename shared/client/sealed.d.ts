import { type IdentityKeyPair } from '@envelope/crypto';
import { type DeviceId, type Username, type SenderCertificateResponse } from '@envelope/protocol';
import type { ClientStore } from './store.js';
/** Fetch a new certificate when the cached one has less than this left: a message may sit in the outbox a while. */
export declare const CERTIFICATE_REFRESH_MARGIN_MS: number;
export interface ClientSettings {
    /** Hide who sent our messages from the server (off by default, as the server's signals need the sender). */
    sealedSender: boolean;
}
export declare function loadSettings(store: ClientStore): Promise<ClientSettings>;
export declare function saveSettings(store: ClientStore, change: Partial<ClientSettings>): Promise<ClientSettings>;
/** The server's certificate-signing key: stored on first use, and then that one is trusted. */
export declare function pinnedServerKey(store: ClientStore, fetchKey: () => Promise<Uint8Array>): Promise<Uint8Array>;
/** This device's sender certificate (encoded), fetched again when it is about to expire. */
export declare function currentCertificate(store: ClientStore, fetchCertificate: () => Promise<SenderCertificateResponse>, now: number): Promise<Uint8Array>;
/** The size of a sealed envelope body whose plaintext was padded to `plaintextBucket` bytes: the frame byte and the sealed message. */
export declare function sealedBodyLength(plaintextBucket: number): number;
/** `plaintextBucket`: the length of the padded plaintext inside `sessionMessage` (EncryptResult.padded). */
export declare function sealEnvelope(identity: IdentityKeyPair, recipientIdentityKey: Uint8Array, certificate: Uint8Array, sessionMessage: Uint8Array, plaintextBucket: number): Uint8Array;
export declare function isSealedBody(body: Uint8Array): boolean;
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
export declare function unsealEnvelope(identity: IdentityKeyPair, body: Uint8Array, serverKey: Uint8Array, storedAt: number): Unsealed;
