/**
 * What anyone may do with keys, including the server: encodings, constants,
 * signatures (verify, and sign with the server's own key), HMAC/HKDF, franking
 * stamps and checks, sender certificates, access keys, randomness.
 *
 * Nothing here encrypts or decrypts a message, and libsodium itself is not
 * exported (see sodium.ts): the server depends on this package and on
 * @envelope/protocol only, and the build checks that (README, "Layout").
 */
export * from './access-key.js';
export * from './bytes.js';
export * from './constants.js';
export * from './errors.js';
export * from './escrow-field.js';
export * from './franking.js';
export * from './hkdf.js';
export * from './padding.js';
export * from './sender-certificate.js';
export * from './signatures.js';
export { cryptoReady, isCryptoReady, randomBytes } from './ready.js';
