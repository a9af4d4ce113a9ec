/** The crypto core's public surface. Import from here, not from the files. */
export * from '@envelope/crypto-public';
export * from '@envelope/crypto-public';
export * from '@envelope/crypto-public';
export * from '@envelope/crypto-public';
export * from './handshake.js';
export * from '@envelope/crypto-public';
export * from './identity.js';
export * from './padding.js';
export * from './prekeys.js';
export * from './ratchet.js';
export * from './ratchet-state.js';
export * from './safety-number.js';
export * from './sealed-sender.js';
export * from './session.js';
export * from '@envelope/crypto-public';
export * from '@envelope/crypto-public';
