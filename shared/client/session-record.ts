/**
 * All sessions with one device of a contact: the active one, which we encrypt
 * with, and up to MAX_PREVIOUS_SESSIONS older ones, which we still decrypt with.
 *
 * Why more than one: when two people start a session at the same moment, each
 * opens one (each side's prekey message is a new handshake for the other). As
 * in libsignal's SessionRecord, a new session accepted from a prekey message
 * becomes active and the old one is kept; a message that decrypts under a
 * previous session promotes it back to active. Each side therefore ends up
 * sending on the session the other side last used, and the two converge after
 * one round trip.
 *
 * Like the sessions inside it, a record is immutable: every function returns a
 * new record, and the caller persists it before using it.
 */
import { CryptoError, isCryptoError } from '@envelope/crypto-public';
import type { InitialHandshake, PreKeyLookup, IdentityKeyPair } from '@envelope/crypto';
import {
  acceptInitialMessage,
  decryptMessage,
  deserializeSession,
  encryptMessage,
  parseSessionMessage,
  serializeSession,
  startsNewSession,
  type SerializedSession,
  type SessionDisclosure,
  type SessionState,
} from '@envelope/crypto';

/** libsignal keeps 40 archived states; a chat between a few devices needs far fewer, and each costs storage on every write. */
export const MAX_PREVIOUS_SESSIONS = 4;
export const SESSION_RECORD_VERSION = 1;

export interface SessionRecord {
  readonly active: SessionState;
  /** Most recently active first. */
  readonly previous: readonly SessionState[];
}

/** As stored: key material as bytes (a profile saved before that holds base64url strings, which load too). */
export interface SerializedSessionRecord {
  v: typeof SESSION_RECORD_VERSION;
  active: SerializedSession<'bytes'>;
  previous: SerializedSession<'bytes'>[];
}

/** `session` becomes active; the former active one is kept as the newest previous session. */
export function withActiveSession(record: SessionRecord | null, session: SessionState): SessionRecord {
  if (record === null) return { active: session, previous: [] };
  return { active: session, previous: [record.active, ...record.previous].slice(0, MAX_PREVIOUS_SESSIONS) };
}

/** `disclose`: key escrow only, the message key and AD leave the ratchet for the access field (@envelope/crypto escrow.ts). */
export function encryptWithRecord(
  record: SessionRecord,
  plaintext: Uint8Array,
  options: { disclose?: boolean } = {},
): { record: SessionRecord; ciphertext: Uint8Array; padded: Uint8Array; disclosure?: SessionDisclosure } {
  const { session, ciphertext, padded, disclosure } = encryptMessage(record.active, plaintext, options);
  return { record: { ...record, active: session }, ciphertext, padded, ...(disclosure ? { disclosure } : {}) };
}

export interface RecordDecryptResult {
  readonly record: SessionRecord;
  readonly plaintext: Uint8Array;
  /** Set when the message opened a new session: the caller deletes the one-time prekeys it names. */
  readonly acceptedHandshake: InitialHandshake | null;
  /** The peer's identity key, as the session that decrypted the message knows it. */
  readonly remoteIdentityKey: Uint8Array;
  /** Key escrow only (`disclose`): the message key and AD, for checking the access field. */
  readonly disclosure?: SessionDisclosure;
}

/** What a responder needs to accept a prekey message: its identity and the prekeys the message names. */
export interface Responder {
  readonly identity: IdentityKeyPair;
  readonly preKeys: PreKeyLookup;
}

/**
 * Decrypts with the active session, then each previous one; a previous session
 * that succeeds becomes active. A prekey message that no stored session came
 * from opens a new session (when `responder` is given). Throws the most telling
 * CryptoError when nothing can read the message; the record is then unchanged.
 */
export function decryptWithRecord(
  record: SessionRecord | null,
  bytes: Uint8Array,
  responder: Responder | null,
  options: { disclose?: boolean } = {},
): RecordDecryptResult {
  const parsed = parseSessionMessage(bytes);
  const sessions = record === null ? [] : [record.active, ...record.previous];
  let failure: unknown = null;
  for (const [index, session] of sessions.entries()) {
    if (startsNewSession(session, parsed)) continue;
    try {
      const result = decryptMessage(session, bytes, options);
      const others = sessions.filter((_, i) => i !== index);
      return {
        record: { active: result.session, previous: others.slice(0, MAX_PREVIOUS_SESSIONS) },
        plaintext: result.plaintext,
        acceptedHandshake: null,
        remoteIdentityKey: result.session.ratchet.remoteIdentityKey,
        ...(result.disclosure ? { disclosure: result.disclosure } : {}),
      };
    } catch (error) {
      // A duplicate says more than "did not decrypt under some other session": keep it.
      if (failure === null || isCryptoError(error, 'DUPLICATE_MESSAGE')) failure = error;
    }
  }
  // Only a handshake none of our sessions came from may open a new one; a repeat
  // of a known handshake that failed above is a duplicate or a forgery, not new.
  if (parsed.kind === 'prekey' && sessions.every((session) => startsNewSession(session, parsed))) {
    if (responder === null) throw new CryptoError('INVALID_STATE', 'prekey message needs the responder keys');
    const accepted = acceptInitialMessage(responder.identity, bytes, responder.preKeys, options);
    return {
      record: withActiveSession(record, accepted.session),
      plaintext: accepted.plaintext,
      acceptedHandshake: accepted.handshake,
      remoteIdentityKey: accepted.handshake.identityKey,
      ...(accepted.disclosure ? { disclosure: accepted.disclosure } : {}),
    };
  }
  throw failure ?? new CryptoError('INVALID_STATE', 'no session can read this message');
}

export function serializeSessionRecord(record: SessionRecord): SerializedSessionRecord {
  const stored = (session: SessionState) => serializeSession(session, 'bytes');
  return { v: SESSION_RECORD_VERSION, active: stored(record.active), previous: record.previous.map(stored) };
}

export function deserializeSessionRecord(json: unknown): SessionRecord {
  if (typeof json !== 'object' || json === null) throw new CryptoError('INVALID_STATE', 'stored session record: not an object');
  const stored = json as Partial<SerializedSessionRecord>;
  if (stored.v !== SESSION_RECORD_VERSION) {
    throw new CryptoError('UNSUPPORTED_VERSION', `stored session record version ${String(stored.v)} is not ${SESSION_RECORD_VERSION}`);
  }
  if (!Array.isArray(stored.previous) || stored.previous.length > MAX_PREVIOUS_SESSIONS) {
    throw new CryptoError('INVALID_STATE', 'stored session record: previous sessions malformed');
  }
  return { active: deserializeSession(stored.active), previous: stored.previous.map(deserializeSession) };
}
