/**
 * The X-ray of one message: its text, the bytes the session encrypted (before
 * and after padding), and for each envelope the body exactly as it crossed the
 * server and the ratchet step its header shows. The app puts this beside the
 * server's own row (GET /api/envelopes/:id) to show the same bytes from both
 * sides.
 *
 * Keeping these bytes is a deliberate demo choice. A real client would not keep
 * ciphertext (it costs no secrecy: the server had it anyway, and it is useless
 * without keys this device has already ratcheted past) and would not keep the
 * padded plaintext; here the padded plaintext is the text already kept in
 * history plus the padding, so it reveals nothing more.
 */
import { fromBase64Url, toBase64Url } from '../crypto/bytes.js';
import { pad, unpad } from '../crypto/padding.js';
import { decodeRatchetHeader } from '../crypto/ratchet.js';
import { parseSessionMessage } from '../crypto/session.js';
import type { DeviceId, MessageId, Username } from '../protocol/ids.js';
import { loadSentByEnvelope } from './history.js';
import type { InboxEntry } from './incoming.js';
import type { ClientStore } from './store.js';
import { keys } from './store-keys.js';

export const RECEIVED_RAW_VERSION = 1;

/** A received envelope as it arrived, and what it decrypted to. */
export interface ReceivedRaw {
  v: typeof RECEIVED_RAW_VERSION;
  /** The body exactly as the server delivered it (base64url). */
  body: string;
  /** The decrypted padded plaintext (base64url). */
  padded: string;
}

export interface XRayEnvelope {
  envelopeId: MessageId;
  /** The peer's device: the one it was sent to, or the one it came from. */
  deviceId: DeviceId;
  /** base64url envelope body exactly as sent to / received from the server. */
  body: string;
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
}

export interface XRay {
  messageId: MessageId;
  direction: 'sent' | 'received';
  peer: Username;
  text: string;
  /** The bytes encrypted, before padding (message-codec output). */
  encoded: Uint8Array;
  /** After padding. */
  padded: Uint8Array;
  envelopes: XRayEnvelope[];
}

/**
 * The entry to store beside a decrypted message. The session layer unpads
 * before it returns, so the padded bytes are rebuilt here; padding is
 * deterministic and unpadding strict (shared/crypto/padding.ts), so exactly one
 * padded form unpads to this plaintext, and it is the one that was decrypted.
 */
export function receivedRawEntry(envelopeId: MessageId, body: string, plaintext: Uint8Array): Record<string, ReceivedRaw> {
  return { [keys.received(envelopeId)]: { v: RECEIVED_RAW_VERSION, body, padded: toBase64Url(pad(plaintext)) } };
}

/** What an envelope's framing and ratchet header say (no keys needed: the server can read the same). */
export function describeEnvelope(body: string): XRayEnvelope['step'] {
  const parsed = parseSessionMessage(fromBase64Url(body, 'body'));
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
    const envelopes = sent.envelopes.map((e) => xrayEnvelope(e.id, e.toDevice, e.body));
    return { ...paddedBytes(sent.padded), messageId: sent.id, direction: 'sent', peer: sent.to, text: sent.text, envelopes };
  }
  const entry = await store.get<InboxEntry>(keys.inbox(id));
  const raw = await store.get<ReceivedRaw>(keys.received(id));
  if (entry?.kind !== 'text' || entry.from === null || entry.fromDevice === null || !raw) return null;
  const envelopes = [xrayEnvelope(entry.id, entry.fromDevice, raw.body)];
  return { ...paddedBytes(raw.padded), messageId: entry.id, direction: 'received', peer: entry.from, text: entry.text, envelopes };
}

/** One envelope as sent or received, with the ratchet step its header shows. */
function xrayEnvelope(envelopeId: MessageId, deviceId: DeviceId, body: string): XRayEnvelope {
  return { envelopeId, deviceId, body, step: describeEnvelope(body) };
}

/** The stored padded plaintext (base64url), and the encoded bytes it unpads to. */
function paddedBytes(stored: string): Pick<XRay, 'encoded' | 'padded'> {
  const padded = fromBase64Url(stored, 'padded');
  return { encoded: unpad(padded), padded };
}
