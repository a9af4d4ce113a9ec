/**
 * Receiving an envelope sent in the transport-only mode (@envelope/protocol
 * policy.ts, transport.ts). Its sender sealed it to the server's transport
 * key; the server opened it and delivers the padded payload over our signed-in
 * connection (the `message` frame's `mode: 'transport-only'`). So the body is
 * not encrypted to us: we unpad and decode the payload, check the sender
 * certificate of a sealed send as the sealed path checks one (signed by the
 * server's pinned key, valid when the server stored the envelope, naming a
 * valid user), decode the message exactly as an e2ee one, and store it like
 * any other, with its mode. No session is read or changed.
 *
 * What the keys cannot add here: the server read and could have rewritten
 * the message (that is the mode), and it names the sender of an unsealed one.
 * So a transport-only message changes no trust: no key is trusted on first
 * use from it, and none is checked against the contact's (the next e2ee
 * message goes through every check). Anything malformed is stored as
 * unreadable with the reason, like a broken e2ee message; nothing throws.
 */
import { decodeSenderCertificate, isCryptoError, verifySenderCertificate, type SenderCertificate } from '@envelope/crypto-public';
import { decodeTransportPayload, isUsername, type DeviceId, type Username } from '@envelope/protocol';
import type { DeviceContext } from './device.js';
import { storeDecodedMessage } from './decoded-message.js';
import type { MessageFrame, ReceiveOutcome, TextInboxEntry, UndecryptableReason } from './incoming.js';
import { ContactKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';
import { RECEIVED_RAW_VERSION, type ReceivedRaw } from './xray.js';

export interface TransportReceiveContext {
  /** The inbox entry's common fields (receiveEnvelope's `base`). */
  readonly base: Omit<TextInboxEntry, 'kind' | 'text' | 'sentAt' | 'order' | 'franking' | 'sealedSender' | 'reported'>;
  /** The seen-set entry (and the caller's extra entries), for every put that ends the handling. */
  readonly seen: Readonly<Record<string, unknown>>;
  /** Stores it as unreadable (or drops a marked receipt), as receiveEnvelope does. */
  fail(reason: UndecryptableReason): Promise<ReceiveOutcome>;
}

/** The sender a certificate names, or the reason it does not count. */
function certifiedSender(device: DeviceContext, bytes: Uint8Array, storedAt: number): { from: Username; fromDevice: DeviceId } | UndecryptableReason {
  const serverKey = device.serverCertificateKey?.() ?? null;
  if (serverKey === null) return 'SEALED_SENDER_UNVERIFIABLE';
  let certificate: SenderCertificate;
  try {
    certificate = decodeSenderCertificate(bytes);
    // Valid when the server stored it, as for a sealed e2ee envelope: a message read late still counts.
    verifySenderCertificate(certificate, serverKey, storedAt);
  } catch (error) {
    return isCryptoError(error) ? error.code : 'SEALED_SENDER_INVALID';
  }
  if (!isUsername(certificate.sender) || certificate.deviceId < 1) return 'SEALED_SENDER_INVALID';
  return { from: certificate.sender, fromDevice: certificate.deviceId as DeviceId };
}

export async function receiveTransport(device: DeviceContext, frame: MessageFrame, body: Uint8Array, context: TransportReceiveContext): Promise<ReceiveOutcome> {
  const { store } = device;
  const { base, seen, fail } = context;
  let payload;
  try {
    payload = decodeTransportPayload(body);
  } catch (error) {
    return fail(isCryptoError(error) ? error.code : 'INVALID_MESSAGE');
  }
  // A sealed send (the server was not told who sent it) carries a certificate; a signed-in one does not.
  const signedIn = frame.from !== null && frame.fromDevice !== null;
  if (signedIn === (payload.certificate !== null)) return fail('INVALID_MESSAGE');
  const sender = payload.certificate === null ? { from: frame.from!, fromDevice: frame.fromDevice! } : certifiedSender(device, payload.certificate, frame.sentAt);
  if (typeof sender === 'string') return fail(sender);
  const { from, fromDevice } = sender;
  const sealed = payload.certificate !== null;

  // For the X-ray: what the server delivered, which is also the padded payload (it opened the seal).
  const raw: ReceivedRaw = { v: RECEIVED_RAW_VERSION, body: frame.body, padded: frame.body, mode: 'transport-only' };
  return storeDecodedMessage(device, payload.message, {
    frame,
    from,
    fromDevice,
    sealed,
    base,
    entries: {},
    seen,
    contact: await readRecord(store, ContactKind, keys.contact(from)),
    rawEntries: { [keys.received(frame.id)]: raw },
    fail: (reason) => fail(reason),
  });
}
