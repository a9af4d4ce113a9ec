/**
 * transport-only at the relay's door (the relay's TransportAdmission port,
 * server/domain/transport-admission.ts, which app.ts wires to this): opens an
 * envelope sealed to the server's transport key, checks what is inside, and
 * reads the message's kind and text for the content log.
 *
 * What it checks, so nothing is kept that the recipient would refuse or that
 * names the wrong sender:
 *  - it opens with the transport key and holds exactly one payload (transport.ts);
 *  - a signed-in send carries no certificate (the connection already names its
 *    sender; a certificate beside it would be a second, unchecked claim);
 *  - a sealed send (no signed-in sender) carries a sender certificate signed by
 *    this server's certificate key and unexpired (crypto-public's check, as the
 *    recipient's client makes it). Its sender is recorded, with the source
 *    'certificate': sealing hides the sender from the envelope, not from a
 *    server that reads what is inside.
 */
import {
  decodeSenderCertificate,
  fromBase64Url,
  isCryptoError,
  toBase64Url,
  verifySenderCertificate,
  type SenderCertificate,
} from '@envelope/crypto-public';
import type { ContentLog, ContentRow } from './content-log.js';
import { readMessageText } from './message-text.js';
import { openTransportEnvelope, type TransportKeyPair } from './transport-key.js';

export interface TransportEnvelopeIn {
  readonly messageId: string;
  readonly sender: string | null;
  readonly recipient: string;
  readonly storedAt: number;
  readonly body: string;
}

export type TransportAdmissionResult =
  | { readonly ok: true; readonly body: string; readonly content: Omit<ContentRow, 'seq'> }
  | { readonly ok: false; readonly reason: string };

export interface TransportAdmissionPort {
  admit(envelope: TransportEnvelopeIn): TransportAdmissionResult;
  record(rows: readonly ContentRow[]): void;
}

class Refused extends Error {}

export function transportAdmission(
  keys: TransportKeyPair,
  /** The server's sender-certificate public key (Ed25519): what a sealed send's certificate must be signed with. */
  certificateKey: Uint8Array,
  log: ContentLog,
  now: () => number = Date.now,
): TransportAdmissionPort {
  const certifiedSender = (certificate: Uint8Array | null): string => {
    if (certificate === null) throw new Refused('a sealed transport-only send must carry its sender certificate');
    const decoded: SenderCertificate = decodeSenderCertificate(certificate);
    verifySenderCertificate(decoded, certificateKey, now());
    return decoded.sender;
  };

  return {
    admit(envelope) {
      try {
        const opened = openTransportEnvelope(keys, fromBase64Url(envelope.body, 'body'));
        if (envelope.sender !== null && opened.certificate !== null) {
          throw new Refused('a signed-in transport-only send carries no sender certificate');
        }
        const sealed = envelope.sender === null;
        const { kind, text } = readMessageText(opened.message);
        return {
          ok: true,
          body: toBase64Url(opened.padded),
          content: {
            messageId: envelope.messageId,
            sender: sealed ? certifiedSender(opened.certificate) : envelope.sender,
            senderSource: sealed ? 'certificate' : 'signed-in',
            recipient: envelope.recipient,
            storedAt: envelope.storedAt,
            mode: 'transport-only',
            kind,
            text,
          },
        };
      } catch (error) {
        if (error instanceof Refused || isCryptoError(error)) return { ok: false, reason: (error as Error).message };
        throw error;
      }
    },
    record(rows) {
      log.record(rows);
    },
  };
}
