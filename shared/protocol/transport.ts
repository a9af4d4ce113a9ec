/**
 * The transport-only mode's payload (policy.ts): what a client seals to the
 * server's transport key, and what the server, having opened it, delivers to
 * the recipient over the recipient's signed-in connection.
 *
 *   byte 0      version (1)
 *   byte 1      flags: bit 0 set when a sender certificate follows (a "sealed" send)
 *   [2 bytes    the certificate's length, big-endian; then the certificate]
 *   the rest    the message, exactly as the end-to-end mode would have encrypted
 *               it (shared/client/message-codec.ts)
 *
 * The whole payload is padded to the same buckets as an end-to-end message
 * (@envelope/crypto-public padding.ts), so its size on the wire says as little.
 * Sealing it (libsodium's crypto_box_seal, to the server's X25519 key) is the
 * only encryption: the server reads everything inside, the certificate of a
 * sealed send included, so sealed sender hides nothing from it in this mode.
 *
 * Encoding only: sealing is in @envelope/crypto (transport.ts), opening in the
 * server's one exception, server/lawful-access/.
 */
import { CryptoError, MAX_ENCODED_CERTIFICATE_BYTES, pad, unpad } from '@envelope/crypto-public';

export const TRANSPORT_PAYLOAD_VERSION = 1;
const FLAG_CERTIFICATE = 0x01;

export interface TransportPayload {
  /** The sender certificate of a sealed send (sender-certificate.ts); null when the sender signed in. */
  readonly certificate: Uint8Array | null;
  /** The message bytes (message-codec.ts), unpadded. */
  readonly message: Uint8Array;
}

/** The padded payload. INVALID_ARGUMENT for an over-long certificate or an empty message. */
export function encodeTransportPayload(payload: TransportPayload): Uint8Array {
  const { certificate, message } = payload;
  if (message.length === 0) throw new CryptoError('INVALID_ARGUMENT', 'a transport payload needs a message');
  if (certificate && (certificate.length === 0 || certificate.length > MAX_ENCODED_CERTIFICATE_BYTES)) {
    throw new CryptoError('INVALID_ARGUMENT', `a sender certificate is 1 to ${MAX_ENCODED_CERTIFICATE_BYTES} bytes, not ${certificate.length}`);
  }
  const head = certificate ? 4 + certificate.length : 2;
  const bytes = new Uint8Array(head + message.length);
  bytes[0] = TRANSPORT_PAYLOAD_VERSION;
  bytes[1] = certificate ? FLAG_CERTIFICATE : 0;
  if (certificate) {
    bytes[2] = certificate.length >> 8;
    bytes[3] = certificate.length & 0xff;
    bytes.set(certificate, 4);
  }
  bytes.set(message, head);
  return pad(bytes);
}

/** The payload inside padded bytes; INVALID_PADDING, UNSUPPORTED_VERSION or INVALID_MESSAGE (CryptoError) for anything that is not exactly one. */
export function decodeTransportPayload(padded: Uint8Array): TransportPayload {
  const bytes = unpad(padded);
  if (bytes.length < 3) throw new CryptoError('INVALID_MESSAGE', 'transport payload too short');
  if (bytes[0] !== TRANSPORT_PAYLOAD_VERSION) throw new CryptoError('UNSUPPORTED_VERSION', `transport payload version ${bytes[0]} is not ${TRANSPORT_PAYLOAD_VERSION}`);
  const flags = bytes[1]!;
  if ((flags & ~FLAG_CERTIFICATE) !== 0) throw new CryptoError('INVALID_MESSAGE', `unknown transport payload flags ${flags}`);
  if ((flags & FLAG_CERTIFICATE) === 0) return { certificate: null, message: bytes.slice(2) };
  const length = (bytes[2]! << 8) | bytes[3]!;
  if (length === 0 || length > MAX_ENCODED_CERTIFICATE_BYTES || bytes.length < 4 + length + 1) {
    throw new CryptoError('INVALID_MESSAGE', 'transport payload certificate length does not fit');
  }
  return { certificate: bytes.slice(4, 4 + length), message: bytes.slice(4 + length) };
}
