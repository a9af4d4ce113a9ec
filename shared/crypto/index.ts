/** The crypto core's public surface. Import from here, not from the files. */
export * from './bytes.js';
export * from './constants.js';
export * from './errors.js';
export * from './franking.js';
export * from './handshake.js';
export * from './hkdf.js';
export * from './identity.js';
export * from './padding.js';
export * from './prekeys.js';
export * from './ratchet.js';
export * from './ratchet-state.js';
export * from './safety-number.js';
export * from './sealed-sender.js';
export * from './session.js';
export * from './signatures.js';
export * from './sodium.js';
