/**
 * Byte helpers: concatenation, constant-time comparison, length checks and the
 * base64url form bytes take whenever they leave memory (JSON state, the wire).
 */
import { CryptoError } from './errors.js';
import { sodium } from './sodium.js';

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Constant-time equality for secrets and MACs; false (not an error) on length mismatch. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return sodium().memcmp(a, b);
}

/** Throws INVALID_ARGUMENT naming the argument unless `value` is a Uint8Array of `length` bytes. */
export function assertBytes(value: unknown, name: string, length?: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new CryptoError('INVALID_ARGUMENT', `${name} must be a Uint8Array`);
  }
  if (length !== undefined && value.length !== length) {
    throw new CryptoError('INVALID_ARGUMENT', `${name} must be ${length} bytes, got ${value.length}`);
  }
}

// base64url (RFC 4648 §5) without padding, in plain JS: keys are 32 bytes and
// serialised on every message, and a round trip into WASM costs more than this.
const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < B64_ALPHABET.length; i++) B64_LOOKUP[B64_ALPHABET.charCodeAt(i)] = i;

const B64_CODES = Uint8Array.from(B64_ALPHABET, (c) => c.charCodeAt(0));
/**
 * Above this many bytes, base64url is written into a byte array and decoded to a
 * string once. Appending four characters at a time builds a rope that must be
 * flattened before it is hashed (a map key) or stored: for a 1.2 KB pending
 * handshake that took ~20 µs against ~8 µs this way. Short keys are faster appended.
 */
const B64_ARRAY_THRESHOLD = 96;
const asciiDecoder = new TextDecoder(); // base64url is ASCII, so UTF-8 decoding is exact

function toBase64UrlLong(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil((bytes.length * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = B64_CODES[n >> 18]!;
    out[o++] = B64_CODES[(n >> 12) & 63]!;
    out[o++] = B64_CODES[(n >> 6) & 63]!;
    out[o++] = B64_CODES[n & 63]!;
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out[o++] = B64_CODES[n >> 18]!;
    out[o++] = B64_CODES[(n >> 12) & 63]!;
    if (i + 1 < bytes.length) out[o++] = B64_CODES[(n >> 6) & 63]!;
  }
  return asciiDecoder.decode(out.subarray(0, o));
}

export function toBase64Url(bytes: Uint8Array): string {
  if (bytes.length > B64_ARRAY_THRESHOLD) return toBase64UrlLong(bytes);
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64_ALPHABET[n >> 18]! + B64_ALPHABET[(n >> 12) & 63]! + B64_ALPHABET[(n >> 6) & 63]! + B64_ALPHABET[n & 63]!;
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += B64_ALPHABET[n >> 18]! + B64_ALPHABET[(n >> 12) & 63]!;
    if (i + 1 < bytes.length) out += B64_ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/** The first byte a base64url string encodes, read from its first two characters without decoding the rest. */
export function firstByteOfBase64Url(text: string): number | undefined {
  if (text.length < 2) return undefined;
  const a = text.charCodeAt(0);
  const b = text.charCodeAt(1);
  const high = a < 128 ? B64_LOOKUP[a]! : -1;
  const low = b < 128 ? B64_LOOKUP[b]! : -1;
  return high < 0 || low < 0 ? undefined : (high << 2) | (low >> 4);
}

function decodeBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? B64_LOOKUP[code]! : -1;
    if (digit < 0) return null;
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  // Canonical form only: the unused low bits of the last character must be zero.
  if ((value & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

/**
 * Decodes base64url (no padding) and checks the length, so malformed input is
 * refused at the boundary with an error that names the field.
 */
export function fromBase64Url(text: unknown, name: string, length?: number): Uint8Array {
  if (typeof text !== 'string') {
    throw new CryptoError('INVALID_ARGUMENT', `${name} must be a base64url string`);
  }
  const bytes = decodeBase64Url(text);
  if (bytes === null) throw new CryptoError('INVALID_ARGUMENT', `${name} is not valid base64url`);
  if (length !== undefined && bytes.length !== length) {
    throw new CryptoError('INVALID_ARGUMENT', `${name} must decode to ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new CryptoError('INVALID_MESSAGE', 'bytes are not valid UTF-8');
  }
}

/** Big-endian unsigned 32-bit integer into 4 bytes. */
export function uint32BE(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new CryptoError('INVALID_ARGUMENT', `value ${value} does not fit in 32 bits`);
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

export function readUint32BE(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}

/** Big-endian unsigned 64-bit integer (a safe JS integer, e.g. milliseconds) into 8 bytes. */
export function uint64BE(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CryptoError('INVALID_ARGUMENT', `value ${value} is not a non-negative safe integer`);
  }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value), false);
  return out;
}

export function readUint64BE(bytes: Uint8Array, offset: number): number {
  const value = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, false);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new CryptoError('INVALID_MESSAGE', '64-bit field exceeds the safe integer range');
  }
  return Number(value);
}

/** Overwrites secret bytes we no longer need (best effort in a garbage-collected runtime). */
export function wipe(...buffers: Uint8Array[]): void {
  for (const buffer of buffers) buffer.fill(0);
}
