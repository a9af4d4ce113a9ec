/**
 * Fixtures for tests and benchmarks: a device with a full set of prekeys, and
 * two devices with an established session. Real keys, real crypto; nothing here
 * is mocked. Not used by the product itself.
 */
import { type IdentityKeyPair, type PreKeyLookup, type SessionState } from '@envelope/crypto';
import { type KemPreKey, type OneTimePreKey, type PreKeyBundle, type SignedPreKey } from '@envelope/crypto';
export interface TestDevice {
    identity: IdentityKeyPair;
    signedPreKey: SignedPreKey;
    oneTimePreKeys: Map<number, OneTimePreKey>;
    kemPreKeys: Map<number, KemPreKey>;
    lastResortKemPreKey: KemPreKey;
    lookup: PreKeyLookup;
}
export declare function makeDevice(options?: {
    oneTimePreKeys?: number;
    oneTimeKemPreKeys?: number;
}): TestDevice;
export type BundleShape = {
    oneTime: boolean;
    kem: 'one-time' | 'last-resort' | 'none';
};
/** The bundle a server would hand out, taking one-time keys as the server would (once). */
export declare function takeBundle(device: TestDevice, shape?: BundleShape): PreKeyBundle;
export interface EstablishedPair {
    alice: SessionState;
    bob: SessionState;
    aliceDevice: TestDevice;
    bobDevice: TestDevice;
}
/** Alice opens a session to Bob with one message, and Bob replies once: both sides are fully established. */
export declare function establishSessions(shape?: BundleShape): EstablishedPair;
/** The code of the CryptoError `fn` throws, "OTHER: …" for any other error, undefined if it returns. */
export declare function cryptoErrorCode(fn: () => unknown): string | undefined;
