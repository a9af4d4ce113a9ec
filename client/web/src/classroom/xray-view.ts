/**
 * The X-ray of one message as the view shows it: the sender's side (what was
 * typed, encoded, padded, encrypted, and the ratchet step), and beside it the
 * server's own row for each envelope, with the check that the two hold the
 * same bytes. While the server still stores the ciphertext the bytes are
 * compared; after delivery it keeps only a SHA-256 digest, and the digest of
 * our bytes is compared with it. For a sealed-sender message the bytes
 * compared are the sealed envelope, and the view adds its layer: the sender
 * certificate inside, and how the stored bytes split into keys, certificate,
 * session message and padding.
 */
import { decodeTransportPayload, type DeviceId, type MessageId, type PolicyMode, type Username } from '@envelope/protocol';
import { errorCode, type ChatClient, type RatchetStep, type StoredEnvelope, type XRay } from './client-api.js';
import { accessFieldView, type AccessFieldView } from './escrow-view.js';
import { explainError } from './explain-error.js';
import { fromBase64Url, sha256Base64Url, splitPadding, toBase64Url, toHex } from './format.js';

export type ServerSide =
  | { readonly kind: 'row'; readonly row: StoredEnvelope; readonly check: MatchCheck }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface MatchCheck {
  /** 'bytes' while the server holds the ciphertext; 'digest' once it has deleted it. */
  readonly by: 'bytes' | 'digest';
  readonly matches: boolean;
  readonly ourDigest: string;
}

/** The sealed-sender layer of an envelope (shared/client/xray.ts XRaySealed), as the view shows it. */
export interface SealedView {
  /** The certificate inside: who sent it, from which device, until when (server clock). */
  readonly sender: string;
  readonly senderDevice: number;
  readonly expiresAt: number;
  readonly identityKeyHex: string;
  /** Where the stored bytes go: the open part, then (encrypted) certificate, session message, padding. */
  readonly layout: { readonly keys: number; readonly certificate: number; readonly content: number; readonly padding: number; readonly total: number };
  readonly plaintextBucket: number;
}

export interface XrayEnvelopeView {
  readonly envelopeId: MessageId;
  readonly deviceId: DeviceId;
  /** The body as the server stored it: the sealed envelope, for a sealed message. */
  readonly ciphertext: Uint8Array;
  /** The session message: the body itself, or what is inside the sealed envelope. */
  readonly sessionMessage: Uint8Array;
  readonly sealed: SealedView | null;
  /** SHA-256 of `ciphertext`, base64url: what the server's digest is compared with. */
  readonly digest: string;
  readonly step: RatchetStep;
  readonly ratchetKeyHex: string;
  readonly server: ServerSide;
  /** key-escrow: the access field that travelled beside it, in plain words; null in other modes. */
  readonly escrow: AccessFieldView | null;
}

/**
 * transport-only: no session, so no ratchet step and no ciphertext the server
 * cannot open. The padded payload (header, message, padding) was sealed to
 * the server's key for the trip; the server opened it and stores the opened
 * payload as the envelope's body, so its row holds the message itself.
 */
export interface TransportXrayView {
  /** The sender certificate inside (a sealed send): the server reads it too in this mode. */
  readonly certificate: { readonly sender: string; readonly senderDevice: number; readonly expiresAt: number } | null;
  /** The payload's first bytes: version, flags and (sealed send) the certificate. */
  readonly header: Uint8Array;
  readonly envelopes: readonly TransportEnvelopeView[];
}

export interface TransportEnvelopeView {
  readonly envelopeId: MessageId;
  readonly deviceId: DeviceId;
  /** Sent: the bytes sealed to the server's key (what crossed the network). Received: the opened payload as delivered. */
  readonly wire: Uint8Array;
  readonly server: TransportServerSide;
}

export type TransportServerSide =
  | {
      readonly kind: 'row';
      readonly row: StoredEnvelope;
      /** The server's stored body is the opened payload (by bytes while stored, by digest after delivery). */
      readonly holdsOpened: boolean;
      readonly by: 'bytes' | 'digest';
      /** The message as the server's own stored bytes spell it (JSON with the text); null once it deleted them. */
      readonly serverReads: string | null;
    }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface XrayView {
  readonly messageId: MessageId;
  /** The policy mode it was sent under. */
  readonly mode: PolicyMode;
  /** transport-only only: what the server opened. */
  readonly transport: TransportXrayView | null;
  readonly direction: 'sent' | 'received';
  readonly peer: Username;
  readonly text: string | null;
  /** The encoded message as text (it is JSON), to show what padding and encryption start from. */
  readonly encodedText: string;
  readonly message: Uint8Array;
  readonly padding: Uint8Array;
  readonly envelopes: readonly XrayEnvelopeView[];
}

export async function checkAgainstServer(body: string, ciphertext: Uint8Array, row: StoredEnvelope): Promise<MatchCheck> {
  const ourDigest = await sha256Base64Url(ciphertext);
  if (row.ciphertext !== null) return { by: 'bytes', matches: row.ciphertext === body, ourDigest };
  return { by: 'digest', matches: row.ciphertextSha256 === ourDigest, ourDigest };
}

/** `rows` holds, per envelope id, the server's row or why it could not be read. */
export async function buildXrayView(xray: XRay, rows: ReadonlyMap<string, StoredEnvelope | { error: string }>): Promise<XrayView> {
  if (xray.transport !== null) return buildTransportView(xray, xray.transport, rows);
  const { message, padding } = splitPadding(xray.padded, xray.encoded.length);
  const envelopes: XrayEnvelopeView[] = [];
  for (const envelope of xray.envelopes) {
    const ciphertext = fromBase64Url(envelope.body);
    const digest = await sha256Base64Url(ciphertext);
    const found = rows.get(envelope.envelopeId);
    let server: ServerSide;
    if (found === undefined) server = { kind: 'unavailable', reason: 'The server has no row for this envelope.' };
    else if ('error' in found) server = { kind: 'unavailable', reason: found.error };
    else server = { kind: 'row', row: found, check: await checkAgainstServer(envelope.body, ciphertext, found) };
    const sealed = envelope.sealed;
    envelopes.push({
      envelopeId: envelope.envelopeId,
      deviceId: envelope.deviceId,
      ciphertext,
      sessionMessage: sealed ? fromBase64Url(sealed.sessionMessage) : ciphertext,
      sealed: sealed && {
        sender: sealed.certificate.sender,
        senderDevice: sealed.certificate.deviceId,
        expiresAt: sealed.certificate.expiresAt,
        identityKeyHex: toHex(sealed.certificate.identityKey),
        layout: sealed.layout,
        plaintextBucket: sealed.plaintextBucket,
      },
      digest,
      step: envelope.step,
      ratchetKeyHex: toHex(envelope.step.ratchetKey),
      server,
      escrow: envelope.escrow ? accessFieldView(envelope.escrow) : null,
    });
  }
  return {
    messageId: xray.messageId,
    mode: xray.mode,
    transport: null,
    direction: xray.direction,
    peer: xray.peer,
    text: xray.text,
    encodedText: new TextDecoder().decode(xray.encoded),
    message,
    padding,
    envelopes,
  };
}

async function buildTransportView(xray: XRay, transport: NonNullable<XRay['transport']>, rows: ReadonlyMap<string, StoredEnvelope | { error: string }>): Promise<XrayView> {
  const header = xray.padded.subarray(0, transport.headerBytes);
  const messageEnd = transport.headerBytes + xray.encoded.length;
  const opened = toBase64Url(xray.padded);
  const openedDigest = await sha256Base64Url(xray.padded);
  const envelopes: TransportEnvelopeView[] = transport.envelopes.map((envelope) => {
    const found = rows.get(envelope.envelopeId);
    let server: TransportServerSide;
    if (found === undefined) server = { kind: 'unavailable', reason: 'The server has no row for this envelope.' };
    else if ('error' in found) server = { kind: 'unavailable', reason: found.error };
    else {
      const by = found.ciphertext !== null ? 'bytes' : 'digest';
      const holdsOpened = found.ciphertext !== null ? found.ciphertext === opened : found.ciphertextSha256 === openedDigest;
      server = { kind: 'row', row: found, by, holdsOpened, serverReads: found.ciphertext === null ? null : messageInside(found.ciphertext) };
    }
    return { envelopeId: envelope.envelopeId, deviceId: envelope.deviceId, wire: fromBase64Url(envelope.body), server };
  });
  const certificate = transport.certificate && { sender: transport.certificate.sender, senderDevice: transport.certificate.deviceId, expiresAt: transport.certificate.expiresAt };
  return {
    messageId: xray.messageId,
    mode: xray.mode,
    transport: { certificate, header, envelopes },
    direction: xray.direction,
    peer: xray.peer,
    text: xray.text,
    encodedText: new TextDecoder().decode(xray.encoded),
    message: xray.padded.subarray(transport.headerBytes, messageEnd),
    padding: xray.padded.subarray(messageEnd),
    envelopes: [],
  };
}

/** The message inside a stored transport payload, as text (the app's JSON, the typed words in it); null if it is not one. */
function messageInside(body: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(decodeTransportPayload(fromBase64Url(body)).message);
  } catch {
    return null;
  }
}

/** Asks the server for its row of each envelope (one may be refused while others answer), then builds the view. */
export async function loadXrayView(client: Pick<ChatClient, 'storedEnvelope'>, xray: XRay): Promise<XrayView> {
  const rows = new Map<string, StoredEnvelope | { error: string }>();
  for (const envelope of [...xray.envelopes, ...(xray.transport?.envelopes ?? [])]) {
    try {
      rows.set(envelope.envelopeId, await client.storedEnvelope(envelope.envelopeId));
    } catch (error) {
      rows.set(envelope.envelopeId, { error: errorCode(error) === 'NOT_FOUND' ? 'The server has no row for this envelope.' : explainError(error) });
    }
  }
  return buildXrayView(xray, rows);
}

/** Plain words for each field of the encoded message (shared/client/message-codec.ts), for the X-ray's legend. */
export const ENCODED_FIELD_WORDS: Readonly<Record<string, string>> = {
  v: 'the version of this message format, so a newer app’s message is refused rather than shown wrong',
  kind: 'what sort of message this is: a text, a delivery receipt, or a request to start a new session',
  text: 'what was typed',
  sentAt: 'when the sender’s device wrote it, by its own clock; only the recipient sees this, the server does not',
  fk: 'the franking key: it lets the recipient prove this message to the moderators if they report it',
  pk: 'the sender’s profile key: it lets the recipient seal messages back (hide their own name from the server)',
  ids: 'the messages this receipt says were delivered',
  unreadable: 'the messages the sender could not read, so the other side can say so',
};

/** The encoded message's fields, in the order they appear, each with its plain words (unknown fields say so). */
export function encodedFieldLegend(encodedText: string): { readonly field: string; readonly words: string }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(encodedText);
  } catch {
    return [];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
  return Object.keys(parsed).map((field) => ({ field, words: ENCODED_FIELD_WORDS[field] ?? 'a field this app does not explain' }));
}
