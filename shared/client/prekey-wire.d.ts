import type { KemPreKey, OneTimePreKey, SignedPreKey } from '@envelope/crypto';
import type { PreKeyUpload } from '@envelope/protocol';
export type WireSignedPreKey = NonNullable<PreKeyUpload['signedPreKey']>;
export type WireOneTimePreKey = NonNullable<PreKeyUpload['oneTimePreKeys']>[number];
export type WireKemPreKey = NonNullable<PreKeyUpload['kemPreKeys']>[number];
export declare function wireSignedPreKey(key: SignedPreKey): WireSignedPreKey;
export declare function wireOneTimePreKey(key: OneTimePreKey): WireOneTimePreKey;
export declare function wireKemPreKey(key: KemPreKey): WireKemPreKey;
