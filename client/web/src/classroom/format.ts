/**
 * Plain-language words and byte formatting for the classroom views. Pure
 * functions, so the views stay simple and the wording is tested in one place.
 */
import type { ConnectionStatus, ConversationEntry, ConversationState } from './client-api.js';
import { DEFAULT_POLICY_MODE, POLICY_WORDS, type PolicyMode } from '@envelope/protocol';

/** What a message's state means, in words a newcomer understands. */
export const STATE_WORDS: Readonly<Record<ConversationState, string>> = {
  queued: 'Queued on this device',
  stored: 'Stored at the server',
  delivered: 'Delivered',
  failed: 'Not sent',
  received: 'Received',
  held: 'Held: their key changed',
  undecryptable: 'Could not be decrypted',
};

/**
 * Why a message could not be read because this device has no session it
 * belongs to (our keys were reset): the same codes as SESSION_LOST_REASONS in
 * shared/client/session-reset.ts, repeated here because importing that file
 * would pull the crypto core into the first paint.
 */
const SESSION_LOST_REASONS: ReadonlySet<string> = new Set(['NO_SESSION', 'DECRYPT_FAILED', 'UNKNOWN_PREKEY', 'INVALID_STATE']);

/** What a message without text (held, or unreadable) shows instead, so no row is ever an empty bubble. */
export function missingTextWords(entry: Pick<ConversationEntry, 'state' | 'reason'>, sender: string): string {
  if (entry.state === 'held') return 'Held: sent with a new key. Check the safety number, then accept it to read.';
  if (entry.state === 'undecryptable' && entry.reason !== undefined && SESSION_LOST_REASONS.has(entry.reason))
    return `Could not be read: it was written to keys this device no longer has (they were reset). ${sender} can send it again.`;
  if (entry.state === 'undecryptable' && entry.reason === 'FRANKING_INVALID')
    return `Refused: ${sender}’s app sent this without a valid report seal, so it could never be reported. Honest apps always add one.`;
  if (entry.state === 'undecryptable') return 'This message could not be decrypted.';
  return 'No text to show.';
}

export const STATUS_WORDS: Readonly<Record<ConnectionStatus, string>> = {
  online: 'Online',
  connecting: 'Connecting…',
  offline: 'Offline: messages wait on this device',
};

/** Longest byte run shown in full; beyond it the view says how many bytes are left out (a projector has room for a few lines). */
export const MAX_BYTES_SHOWN = 192;

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Hex in groups of two bytes, for reading aloud and for line wrapping. */
export function spacedHex(bytes: Uint8Array): string {
  return (toHex(bytes).match(/.{1,4}/g) ?? []).join(' ');
}

/** Decodes base64url (no padding), as bodies travel on the wire. Throws on anything else. */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error('not base64url');
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** SHA-256 as base64url, as the server reports a ciphertext's digest (shared/protocol/http.ts CIPHERTEXT_DIGEST_CHARS). */
export async function sha256Base64Url(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice().buffer);
  return toBase64Url(new Uint8Array(digest));
}

/** The padded plaintext split into the message and the padding after it (ISO/IEC 7816-4: 0x80, then zeros). */
export function splitPadding(padded: Uint8Array, messageLength: number): { message: Uint8Array; padding: Uint8Array } {
  const cut = Math.min(messageLength, padded.length);
  return { message: padded.subarray(0, cut), padding: padded.subarray(cut) };
}

/** The 60-digit safety number as its twelve groups of five. */
export function safetyNumberGroups(safetyNumber: string): string[] {
  const digits = safetyNumber.replace(/\D/g, '');
  return digits.match(/.{1,5}/g) ?? [];
}

export function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A time within the next days: the weekday and the time (a sender certificate's expiry). */
export function dayClock(at: number): string {
  return new Date(at).toLocaleString([], { weekday: 'long', hour: '2-digit', minute: '2-digit' });
}

export function byteCount(n: number): string {
  return n === 1 ? '1 byte' : `${n.toLocaleString('en')} bytes`;
}

/**
 * The tag on a message someone besides the two people could read (null for end-to-end): short on the row,
 * the mode's plain words on hover. Under key escrow the server cannot read it; the escrow holders can,
 * unless a rogue app dodged them: `rogue` 'forged' (its sender's row: a forged access field) or 'inside'
 * (the text itself is encrypted, which anyone can see from the text).
 */
export function modeTagWords(mode: PolicyMode, rogue: 'forged' | 'inside' | null = null): { readonly tag: string; readonly title: string } | null {
  if (mode === DEFAULT_POLICY_MODE) return null;
  if (mode === 'key-escrow' && rogue === 'forged') {
    return {
      tag: 'rogue app: the escrow opens this to nothing',
      title: 'Sent by a rogue app with a forged access field: the recipient’s app accepted it, but the escrow opens it to nothing.',
    };
  }
  if (mode === 'key-escrow' && rogue === 'inside') {
    return {
      tag: 'escrow finds only ciphertext',
      title: 'A rogue app encrypted this text inside the message, with a key the two people agreed elsewhere: the escrow opens the message and finds only this scramble.',
    };
  }
  const tag = mode === 'key-escrow' ? 'escrow holders could read this' : 'server could read this';
  return { tag, title: `Sent under “${POLICY_WORDS[mode].name}”: ${POLICY_WORDS[mode].detail}` };
}

/**
 * What the rogue app did to a message, as far as this device knows: 'forged' for one it sent with a forged field
 * (`forgedSent`), 'inside' for a text encrypted inside (it starts with shared/client rogue.ts INSIDE_PREFIX,
 * repeated here because importing the core would pull libsodium into the first paint).
 */
export const INSIDE_PREFIX = 'sealed inside: ';
export function rogueMark(entry: Pick<ConversationEntry, 'id' | 'text' | 'mode'>, forgedSent: readonly string[]): 'forged' | 'inside' | null {
  if (entry.mode !== 'key-escrow') return null;
  if (forgedSent.includes(entry.id)) return 'forged';
  return entry.text?.startsWith(INSIDE_PREFIX) ? 'inside' : null;
}
