import type { SessionDisclosure } from './session.js';
export type EscrowCheckBits = 16 | 64;
/** The conversation tag: the first 8 bytes of SHA-256 of the session's associated data. */
export declare function conversationTag(sessionAssociatedData: Uint8Array): Uint8Array;
/** A compliant client's access field for the message `disclosure` describes (encoded bytes). */
export declare function buildAccessField(escrowPublicKey: Uint8Array, checkBits: EscrowCheckBits, disclosure: SessionDisclosure): Uint8Array;
export type AccessFieldVerdict = {
    readonly ok: true;
    readonly checkBits: EscrowCheckBits;
} | {
    readonly ok: false;
    readonly reason: string;
};
/**
 * The recipient's check (compliant software): the field parses, names this
 * message, is at least `minimumCheckBits` wide, and its checkword is right for
 * this message's key. Never throws on a bad field: the verdict says why.
 */
export declare function checkAccessField(field: Uint8Array, disclosure: SessionDisclosure, minimumCheckBits?: EscrowCheckBits): AccessFieldVerdict;
/**
 * checkAccessField for one message, with what does not depend on the field
 * worked out once: the forgery asks it tens of thousands of times.
 */
export declare function compliantCheck(disclosure: SessionDisclosure, minimumCheckBits?: EscrowCheckBits): (field: Uint8Array) => AccessFieldVerdict;
export interface ForgeryResult {
    /** A field that passes the compliant check and opens to nothing; null if the cap was reached first. */
    readonly field: Uint8Array | null;
    readonly tries: number;
    readonly elapsedMs: number;
    readonly triesPerSecond: number;
}
/**
 * Blaze's attack (1994), as the rogue-client demonstration runs it: random
 * `sealed` bytes (which open to nothing) under a fixed random checkword, tried
 * against the compliant check (checkAccessField, as the oracle a chip was)
 * until one passes, or `maxTries`. About 2^checkBits tries on average.
 * `now` is injectable for the web app's timer; the tries do not depend on it.
 */
export declare function forgeAccessField(disclosure: SessionDisclosure, checkBits: EscrowCheckBits, maxTries: number, now?: () => number): ForgeryResult;
/** Wipes a disclosure's message key (call once the field is built or checked). */
export declare function wipeDisclosure(disclosure: SessionDisclosure | undefined): void;
