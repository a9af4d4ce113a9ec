/** Bytes crypto_box_seal adds: the ephemeral public key and the Poly1305 tag. */
export declare const TRANSPORT_SEAL_OVERHEAD = 48;
/** `padded`, sealed to `serverKey` (a 32-byte X25519 public key). */
export declare function sealToServer(serverKey: Uint8Array, padded: Uint8Array): Uint8Array;
