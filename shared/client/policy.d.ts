/**
 * The server's policy mode, as this client knows it (@envelope/protocol
 * policy.ts), and what it means for sending.
 *
 * The client learns the mode from the `policy` frame (the server sends one
 * right after `auth` and on every change) and from GET /api/policy, which it
 * asks before encrypting anything when no announcement has come yet (a CLI
 * command sends before its socket is up). Every step that encrypts (a text,
 * a receipt, a session reset) asks `sendingMode()` right before it encrypts,
 * inside the client's queue, and encrypts under exactly that mode; what it
 * produced then travels under that mode even if the mode changes before it
 * leaves the outbox (the outbox entry records it; nothing is re-encrypted).
 *
 * Fail closed: a mode this build does not know (a newer server's, say
 * `client-scanning`) may make content readable in a way this client would not
 * tell its user, so nothing is encrypted under it: UNKNOWN_POLICY_MODE. The
 * announcement is still kept and reported (the app says which mode it met).
 */
import { type EscrowAnnouncement, type PolicyAnnouncement } from '@envelope/protocol';
/** How to encrypt under the mode in force: the end-to-end path, or sealed to the server's transport key. */
export type SendingMode = {
    readonly mode: 'e2ee';
} | {
    readonly mode: 'transport-only';
    readonly transportKey: Uint8Array;
}
/** Encrypted end to end, with an access field sealed to the escrow key (@envelope/crypto escrow.ts). */
 | {
    readonly mode: 'key-escrow';
    readonly escrow: EscrowAnnouncement;
};
/** The sending mode an announcement asks for; UNKNOWN_POLICY_MODE for a mode this build does not know. */
export declare function sendingModeOf(announcement: PolicyAnnouncement): SendingMode;
export declare class PolicyState {
    #private;
    private readonly fetchPolicy;
    private readonly onChange;
    constructor(fetchPolicy: () => Promise<PolicyAnnouncement>, onChange: (announcement: PolicyAnnouncement) => void);
    /** The latest announcement; null until one arrived or was fetched. */
    get current(): PolicyAnnouncement | null;
    /**
     * Takes an announcement (a frame, or a fetch's answer) unless it is older
     * than the one held: a GET answered just before a switch may arrive after
     * the frame that announced the switch, and must not undo it. Reports it.
     */
    learn(announcement: PolicyAnnouncement): void;
    /** GET /api/policy now (one request at a time), learned and returned. */
    fetch(): Promise<PolicyAnnouncement>;
    /** Fetches the mode if none is known yet. Call outside the client's queue (it may make a request). */
    ensureKnown(): Promise<void>;
    /**
     * The mode to encrypt under now (call inside the queue, after ensureKnown).
     * UNKNOWN_POLICY_MODE for an unknown mode, or if none is known.
     */
    sendingMode(): SendingMode;
}
