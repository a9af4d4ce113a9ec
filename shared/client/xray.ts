/**
 * The X-ray of one message: its text, the bytes the session encrypted (before
 * and after padding), and for each envelope the body exactly as it crossed the
 * server and the ratchet step its header shows. The app puts this beside the
 * server's own row (GET /api/envelopes/:id) to show the same bytes from both
 * sides.
 *
 * A sealed-sender envelope (sealed.ts) has one more layer: the body the server
 * stored is the sealed envelope, padded to the size of any other of its
 * bucket; inside it are the sender certificate (who sent it, which only the
 * recipient can read) and the session message, whose ratchet step is shown as
 * for any other. The sender keeps what it put inside (history.ts), the
 * recipient what it found inside (ReceivedRaw), so neither opens it again.
 *
 * Keeping these bytes is a deliberate demo choice. A real client would not keep
 * ciphertext (it costs no secrecy: the server had it anyway, and it is useless
 * without keys this device has already ratcheted past) and would not keep the
 * padded plaintext; here the padded plaintext is the text already kept in
 * history plus the padding, so it reveals nothing more.
 */
import { decodeAccessField, fromBase64Url, toBase64Url, decodeSenderCertificate, type SenderCertificate } from '@envelope/crypto-public';
import { pad, unpad, decodeRatchetHeader, sealedLayout, type SealedLayout, parseSessionMessage } from '@envelope/crypto';
import { decodeTransportPayload, type DeviceId, type EnvelopeMode, type MessageId, type PolicyMode, type Username } from '@envelope/protocol';
import { loadSentByEnvelope } from './history.js';
import { isSealedBody, type Unsealed } from './sealed.js';
import type { ClientStore } from './store.js';
import { InboxKind, ReceivedRawKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

export const RECEIVED_RAW_VERSION = 1;

/** A received envelope as it arrived, and what it decrypted to. */
export interface ReceivedRaw {
  v: typeof RECEIVED_RAW_VERSION;
  /** The body exactly as the server delivered it (base64url). */
  body: string;
  /** The decrypted padded plaintext (base64url). */
  padded: string;
  /** Sealed sender: what was inside the sealed body (base64url each). */
  sealed?: { sessionMessage: string; certificate: string };
  /** transport-only (policy.ts): `body` and `padded` are both the payload the server opened and delivered. */
  mode?: EnvelopeMode;
  /** key-escrow: the access field that came beside the body (base64url), which this device checked. */
  access?: string;
}

/** The sealed layer of an envelope: what the server stored around the session message. */
export interface XRaySealed {
  /** The certificate inside: who sent it, from which device, until when, signed by the server. Only the recipient can read it. */
  certificate: SenderCertificate;
  /** The session message inside (base64url): what an unsealed envelope's body would have been. */
  sessionMessage: string;
  /** Where the stored bytes go; `keys` includes the body's frame byte. All but `keys` is encrypted. */
  layout: SealedLayout;
  /** The plaintext bucket that alone sets the size (shared/crypto-public/padding.ts). */
  plaintextBucket: number;
}

export interface XRayEnvelope {
  envelopeId: MessageId;
  /** The peer's device: the one it was sent to, or the one it came from. */
  deviceId: DeviceId;
  /** base64url envelope body exactly as sent to / received from the server. */
  body: string;
  /** Null unless the envelope was sealed (sealed sender). */
  sealed: XRaySealed | null;
  /** The step the session message shows (inside the sealed layer, for a sealed envelope). */
  step: {
    /** Non-null when this envelope can start a session (a prekey message). */
    handshake: 'pqxdh' | 'x3dh' | null;
    /** The header's DH ratchet public key. */
    ratchetKey: Uint8Array;
    messageIndex: number;
    previousChainLength: number;
    /** First message under a new ratchet key, i.e. just after a DH ratchet step. */
    newRatchetKey: boolean;
  };
  /** key-escrow: the access field that travelled beside the body (what the server and the escrow see); null otherwise. */
  escrow: XRayAccessField | null;
}

/**
 * A key-escrow access field, laid out (crypto-public escrow-field.ts): what
 * anyone who sees the envelope can read of it. The sealed part opens only with
 * the escrow private key (two of its three shares); the checkword only the
 * message key can check.
 */
export interface XRayAccessField {
  /** The whole field, base64url, as sent. */
  field: string;
  bytes: number;
  checkBits: 16 | 64;
  /** The first 8 bytes of SHA-256 of the session's associated data: which conversation. */
  conversation: Uint8Array;
  /** The message number: the ratchet header's chain index, and its ratchet key's first 8 bytes. */
  chainIndex: number;
  ratchetKeyPrefix: Uint8Array;
  /** The sealed message key (with the associated data and the ciphertext's offset): its size in bytes. */
  sealedBytes: number;
  checkword: Uint8Array;
}

/** The layout of a stored access field; null if it does not parse (a rogue's field can be anything). */
export function describeAccessField(field: string): XRayAccessField | null {
  try {
    const bytes = fromBase64Url(field, 'access');
    const parsed = decodeAccessField(bytes);
    return {
      field,
      bytes: bytes.length,
      checkBits: parsed.checkBytes === 2 ? 16 : 64,
      conversation: parsed.conversation,
      chainIndex: parsed.chainIndex,
      ratchetKeyPrefix: parsed.ratchetKeyPrefix,
      sealedBytes: parsed.sealed.length,
      checkword: parsed.checkword,
    };
  } catch {
    return null;
  }
}

/**
 * A message sent in the transport-only mode (policy.ts): no session, so no
 * ratchet step. The payload (transport.ts) was sealed to the server's key,
 * and the server opened it: it read everything inside, the certificate of a
 * sealed send included.
 */
export interface XRayTransport {
  /** The sender certificate inside the payload (a sealed send), which the server reads in this mode; null for a signed-in send. */
  certificate: SenderCertificate | null;
  /** Bytes of the payload before the message: version, flags, and the certificate with its length. */
  headerBytes: number;
  /**
   * Per envelope (base64url): sent, the bytes sealed to the server's key (what
   * crossed the network); received, the payload the server delivered after
   * opening it (the same bytes as `padded`).
   */
  envelopes: { envelopeId: MessageId; deviceId: DeviceId; body: string }[];
}

export interface XRay {
  messageId: MessageId;
  direction: 'sent' | 'received';
  peer: Username;
  text: string;
  /** The policy mode it was sent under (policy.ts); 'e2ee' for everything from before modes existed. */
  mode: PolicyMode;
  /** The message bytes (message-codec output), before padding: what the session encrypted, or what went into the transport payload. */
  encoded: Uint8Array;
  /** After padding: the padded plaintext (e2ee), or the padded transport payload (transport-only). */
  padded: Uint8Array;
  /** The session messages, one per device (e2ee); empty in transport-only, which uses no session. */
  envelopes: XRayEnvelope[];
  /** transport-only only: the layer the server opened; null for e2ee. */
  transport: XRayTransport | null;
}

/**
 * The entry to store beside a decrypted message. The session layer unpads
 * before it returns, so the padded bytes are rebuilt here; padding is
 * deterministic and unpadding strict (shared/crypto-public/padding.ts), so exactly one
 * padded form unpads to this plaintext, and it is the one that was decrypted.
 */
export function receivedRawEntry(
  envelopeId: MessageId,
  body: string,
  plaintext: Uint8Array,
  sealed: Pick<Unsealed, 'sessionMessage' | 'certificate'> | null = null,
  escrow?: { mode: 'key-escrow'; access: string },
): Record<string, ReceivedRaw> {
  const raw: ReceivedRaw = { v: RECEIVED_RAW_VERSION, body, padded: toBase64Url(pad(plaintext)), ...(escrow ? { mode: escrow.mode, access: escrow.access } : {}) };
  if (sealed) raw.sealed = { sessionMessage: toBase64Url(sealed.sessionMessage), certificate: toBase64Url(sealed.certificate) };
  return { [keys.received(envelopeId)]: raw };
}

/** What a session message's framing and ratchet header say (no keys needed: for an unsealed envelope the server can read the same). */
export function describeEnvelope(sessionMessage: string): XRayEnvelope['step'] {
  const parsed = parseSessionMessage(fromBase64Url(sessionMessage, 'session message'));
  const header = decodeRatchetHeader(parsed.ratchetMessage);
  return {
    handshake: parsed.kind === 'prekey' ? parsed.handshake.kind : null,
    ratchetKey: header.ratchetKey,
    messageIndex: header.index,
    previousChainLength: header.previousChainLength,
    // Every chain starts at index 0 right after the DH ratchet step that made it.
    newRatchetKey: header.index === 0,
  };
}

/** The X-ray of a sent or received message (by message id, or a sent envelope's id); null when unknown or unreadable. */
export async function loadXRay(store: ClientStore, id: MessageId): Promise<XRay | null> {
  const sent = await loadSentByEnvelope(store, id);
  if (sent) {
    const common = { messageId: sent.id, direction: 'sent' as const, peer: sent.to, text: sent.text };
    if (sent.mode === 'transport-only') {
      return { ...common, ...transportLayer(sent.padded, sent.envelopes.map((e) => ({ envelopeId: e.id, deviceId: e.toDevice, body: e.body }))) };
    }
    const padded = paddedBytes(sent.padded);
    const envelopes: XRayEnvelope[] = [];
    for (const e of sent.envelopes) {
      const inside = e.sessionMessage !== undefined && sent.certificate !== undefined ? { sessionMessage: e.sessionMessage, certificate: sent.certificate } : null;
      const envelope = xrayEnvelope(e.id, e.toDevice, e.body, inside, padded.padded.length, e.access);
      // A sealed message sent before its inside was kept cannot be shown.
      if (envelope === null) return null;
      envelopes.push(envelope);
    }
    return { ...padded, ...common, mode: sent.mode === 'key-escrow' ? 'key-escrow' : 'e2ee', envelopes, transport: null };
  }
  const entry = await readRecord(store, InboxKind, keys.inbox(id));
  const raw = await readRecord(store, ReceivedRawKind, keys.received(id));
  if (entry?.kind !== 'text' || entry.from === null || entry.fromDevice === null || !raw) return null;
  const common = { messageId: entry.id, direction: 'received' as const, peer: entry.from, text: entry.text };
  if (raw.mode === 'transport-only') return { ...common, ...transportLayer(raw.padded, [{ envelopeId: entry.id, deviceId: entry.fromDevice, body: raw.body }]) };
  const padded = paddedBytes(raw.padded);
  const envelope = xrayEnvelope(entry.id, entry.fromDevice, raw.body, raw.sealed ?? null, padded.padded.length, raw.access);
  if (envelope === null) return null;
  return { ...padded, ...common, mode: raw.mode === 'key-escrow' ? 'key-escrow' : 'e2ee', envelopes: [envelope], transport: null };
}

/** The transport-only layers of a message: its padded payload (base64url, as kept) and the envelopes that carried it. */
function transportLayer(storedPadded: string, envelopes: XRayTransport['envelopes']): Pick<XRay, 'mode' | 'encoded' | 'padded' | 'envelopes' | 'transport'> {
  const padded = fromBase64Url(storedPadded, 'padded');
  // It was decoded once already (sent: we made it; received: it was read), so this cannot fail on a sound profile.
  const payload = decodeTransportPayload(padded);
  const certificate = payload.certificate === null ? null : decodeSenderCertificate(payload.certificate);
  const headerBytes = unpad(padded).length - payload.message.length;
  return { mode: 'transport-only', encoded: payload.message, padded, envelopes: [], transport: { certificate, headerBytes, envelopes } };
}

/**
 * One envelope as sent or received, with the ratchet step its session message
 * shows and, if sealed, the layer around it; null for a sealed body whose
 * inside was not kept.
 */
function xrayEnvelope(
  envelopeId: MessageId,
  deviceId: DeviceId,
  body: string,
  inside: { sessionMessage: string; certificate: string } | null,
  plaintextBucket: number,
  access?: string,
): XRayEnvelope | null {
  const escrow = access === undefined ? null : describeAccessField(access);
  if (!isSealedBody(fromBase64Url(body, 'body'))) return { envelopeId, deviceId, body, sealed: null, step: describeEnvelope(body), escrow };
  if (inside === null) return null;
  const certificate = fromBase64Url(inside.certificate, 'certificate');
  const sessionMessage = fromBase64Url(inside.sessionMessage, 'session message');
  const layout = sealedLayout(plaintextBucket, certificate.length, sessionMessage.length);
  const sealed: XRaySealed = {
    certificate: decodeSenderCertificate(certificate),
    sessionMessage: inside.sessionMessage,
    // The body's frame byte (FRAME_SEALED) counts with the keys: neither is encrypted.
    layout: { ...layout, keys: layout.keys + 1, total: layout.total + 1 },
    plaintextBucket,
  };
  return { envelopeId, deviceId, body, sealed, step: describeEnvelope(inside.sessionMessage), escrow };
}

/** The stored padded plaintext (base64url), and the encoded bytes it unpads to. */
function paddedBytes(stored: string): Pick<XRay, 'encoded' | 'padded'> {
  const padded = fromBase64Url(stored, 'padded');
  return { encoded: unpad(padded), padded };
}
