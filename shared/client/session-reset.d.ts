import type { DeviceId, Username } from '@envelope/protocol';
import type { DeviceContext } from './device.js';
import { type UndecryptableInboxEntry } from './incoming.js';
import { type BundleFetcher, type OutboxEntry } from './outgoing.js';
import type { SendingMode } from './policy.js';
/**
 * One notice per contact per hour, as Signal's clients rate-limited theirs: a
 * stuck pair costs two messages an hour, not a flood. A key reset of our own
 * allows a new notice at once (the user did something; it cannot loop).
 */
export declare const SESSION_RESET_INTERVAL_MS: number;
/**
 * Reasons that mean "no session of ours reads this": the contact writes with a
 * session we no longer have. Not DUPLICATE_MESSAGE (the session is fine),
 * INVALID_MESSAGE or PROTOCOL_ERROR (it decrypted, or never could), nor
 * SEALED_SENDER_UNSUPPORTED (we cannot tell who sent it).
 */
export declare const SESSION_LOST_REASONS: ReadonlySet<string>;
export declare const RESET_NOTICE_VERSION = 1;
export interface ResetNoticeRecord {
    v: typeof RESET_NOTICE_VERSION;
    /** When we last sent this contact a notice (our clock). */
    sentAt: number;
    /** Our identity key (base64url) when we sent it. */
    identityKey: string;
}
export type SessionLostEntry = UndecryptableInboxEntry & {
    from: Username;
    fromDevice: DeviceId;
};
export declare function isSessionLost(entry: UndecryptableInboxEntry): entry is SessionLostEntry;
/** Whether the guard lets us send `contact` a notice now. */
export declare function noticeAllowed(previous: ResetNoticeRecord | undefined, identityKey: string, now: number): boolean;
/**
 * Prepares the notice to `contact` after `lost`: a new session to its device,
 * the control message in the outbox, and the guard record, in one put.
 * Returns the envelopes to transmit, or [] if the guard says not now or the
 * mode is transport-only. Throws
 * what ensureSessions throws (KEY_CHANGED if the contact's key changed too).
 */
export declare function prepareSessionReset(device: DeviceContext, lost: SessionLostEntry, fetchBundle: BundleFetcher, mode?: SendingMode): Promise<OutboxEntry[]>;
