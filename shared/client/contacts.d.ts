import type { DeviceId, Username } from '@envelope/protocol';
import type { ClientStore } from './store.js';
export declare const CONTACT_RECORD_VERSION = 1;
export interface ContactRecord {
    v: typeof CONTACT_RECORD_VERSION;
    username: Username;
    /** Trusted identity keys (Ed25519), by device id. */
    devices: Record<string, {
        identityKey: Uint8Array;
        since: number;
    }>;
    /** Keys seen but not trusted yet, by device id: the newest one seen wins. */
    pending: Record<string, {
        identityKey: Uint8Array;
        seenAt: number;
    }>;
    /** The user compared safety numbers and marked them as matching. */
    verified: boolean;
    /**
     * Their profile key (base64url), from the newest message they sent us
     * (profile-key.ts): with it we can seal messages to them. Absent until they write.
     */
    profileKey?: string;
}
export type IdentityCheck = 
/** We know this contact and this key for this device. */
'trusted'
/** We have never seen this contact: trust on first use. */
 | 'first-use'
/** A known contact shows a different key, or a device we did not know: hold. */
 | 'changed';
export declare function checkIdentity(record: ContactRecord | undefined, deviceId: DeviceId, identityKey: Uint8Array): IdentityCheck;
export declare function newContact(username: Username): ContactRecord;
/** Records keys seen for the first time (trust on first use). */
export declare function trustOnFirstUse(record: ContactRecord, keys: ReadonlyMap<DeviceId, Uint8Array>, now: number): ContactRecord;
/** Records a changed (or new-device) key as pending; returns the same record if it was already pending. */
export declare function recordKeyChange(record: ContactRecord, deviceId: DeviceId, identityKey: Uint8Array, now: number): ContactRecord;
/** The record with the profile key a message of theirs carried; the same record if it is unchanged. */
export declare function withProfileKey(record: ContactRecord, profileKey: string): ContactRecord;
export declare function hasPendingKeyChange(record: ContactRecord | undefined, deviceId?: DeviceId): boolean;
/** The user accepted the new keys: they become trusted, and the contact is no longer verified. */
export declare function acceptPendingKeys(record: ContactRecord, now: number): {
    record: ContactRecord;
    changedDevices: DeviceId[];
};
/**
 * The keys a safety number covers: every trusted device of the contact, in
 * device order. A device the server added before we first talked is trusted on
 * first use like the rest, but it is in the number, so the two people's numbers
 * no longer match; one added later is a key change (checkIdentity) until the
 * user trusts it, and then it is in the number too.
 */
export declare function trustedIdentityKeys(record: ContactRecord): {
    deviceId: DeviceId;
    identityKey: Uint8Array;
}[];
/** What an app shows in a contact list. */
export interface ContactSummary {
    readonly username: Username;
    readonly devices: DeviceId[];
    /** The user compared safety numbers and marked them as matching (for the key still trusted). */
    readonly verified: boolean;
    /** A new key awaits trustNewKey. (Older name of keyChanged, kept for existing callers.) */
    readonly keyChangePending: boolean;
    /** A new key awaits trustNewKey: show the safety-number warning. */
    readonly keyChanged: boolean;
    /**
     * The pending change happened while the contact was verified: the strong
     * warning ("the person you verified now has a different key"). Exact as
     * keyChanged && verified, because markVerified is refused while a change is
     * pending and trustNewKey clears both.
     */
    readonly changedAfterVerification: boolean;
}
export declare function summarizeContact(record: ContactRecord): ContactSummary;
export declare function loadContactSummaries(store: ClientStore): Promise<ContactSummary[]>;
