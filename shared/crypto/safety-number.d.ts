export declare const FINGERPRINT_VERSION = 0;
export declare const DEFAULT_FINGERPRINT_ITERATIONS = 5200;
/** The bytes a safety number covers for an Ed25519 identity key: 0x05 ‖ key. */
export declare function safetyNumberKey(identityPublicKey: Uint8Array): Uint8Array;
/**
 * The bytes a safety number covers for one side with several devices: each
 * device's 0x05 ‖ key, sorted, concatenated. One key gives `safetyNumberKey(key)`.
 */
export declare function safetyNumberKeys(identityPublicKeys: readonly Uint8Array[]): Uint8Array;
/**
 * The 60-digit safety number of a conversation. Synchronous once libsodium is
 * loaded; before that it returns a promise that resolves when it is.
 */
export declare function numericFingerprint(localId: Uint8Array, localKey: Uint8Array, remoteId: Uint8Array, remoteKey: Uint8Array, iterations?: number): string | Promise<string>;
/** "12345 67890 …": the 60 digits in twelve groups of five, as shown to people. */
export declare function formatSafetyNumber(digits: string): string[];
