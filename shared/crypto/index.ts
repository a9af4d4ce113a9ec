/**
 * The decrypting core: handshakes (X3DH/PQXDH), the Double Ratchet, sessions,
 * sealed sender, safety numbers. Clients depend on it; the server
 * must not (README, "Layout"). Encodings, constants, signatures and errors
 * live in @envelope/crypto-public.
 */
export * from './handshake.js';
export * from './identity.js';
export { libsodiumX25519, useX25519Backend, x25519Backend, type X25519Backend } from './x25519.js';
export * from './prekeys.js';
export * from './ratchet.js';
export * from './ratchet-state.js';
export * from './safety-number.js';
export * from './sealed-sender.js';
export * from './session.js';
export * from './escrow.js';
export * from './transport.js';
export { sodium, type Sodium } from './sodium.js';
