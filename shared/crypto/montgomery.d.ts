export declare function edwardsToMontgomery(ed25519PublicKey: Uint8Array): Uint8Array;
