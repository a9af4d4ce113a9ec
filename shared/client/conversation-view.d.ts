/**
 * One conversation as the app shows it: what this device sent to a contact
 * (history.ts) merged with what it received from them (the inbox, and messages
 * held for a key decision), oldest first.
 *
 * Order is by `at`: our clock for what we sent, the server's clock (when it
 * stored the envelope) for what we received, so a message received late after
 * being offline still sits where it was written rather than where it was
 * read. Ties (and clocks that agree to the millisecond) fall back to the order
 * this device recorded them in.
 */
import type { MessageId, PolicyMode, Username, ReportReason } from '@envelope/protocol';
import { type DeliveryState } from './history.js';
import type { ClientStore } from './store.js';
export interface ConversationEntry {
    id: MessageId;
    direction: 'sent' | 'received';
    peer: Username;
    /** Null when held (awaiting trustNewKey) or unreadable. */
    text: string | null;
    at: number;
    state: DeliveryState | 'received' | 'held' | 'undecryptable';
    /** Why it failed or could not be read (an error code). */
    reason?: string;
    /** Sent only: the recipient's device reported it could not decrypt it (after a key reset there); resend if it matters. */
    unreadableByPeer?: true;
    /** Received only: "Report" can be offered (report.ts). */
    reportable?: true;
    /** Received only: the user reported it, and the server filed the report. */
    reported?: {
        reportId: number;
        at: number;
        reason: ReportReason;
    };
    /**
     * The policy mode it was sent under (policy.ts): what the server could read
     * of it. 'e2ee' for everything from before modes existed; a held message
     * has the mode it came under (e2ee or key-escrow: both use sessions).
     */
    mode: PolicyMode;
}
/** The conversation with `contact`, read in full from the store (every sent, inbox and held record). */
export declare function loadConversation(store: ClientStore, contact: Username): Promise<ConversationEntry[]>;
/**
 * Every conversation, kept in memory so showing one after each change costs
 * no store reads. It reads the sent, inbox and held records once, on first
 * use; after that it learns every change from the puts themselves: the client
 * hands it each put its store committed (ownership.ts, `onCommitted`), and a
 * written record replaces its row, a deleted one removes it. Every write of a
 * profile goes through its one owner's store, so nothing can change behind
 * it; a client that takes the profile over builds its own from the store.
 *
 * Puts that commit while the first read is running are queued and applied
 * after it, in order: each sets a row to what was written, so applying one
 * the read had already seen changes nothing.
 */
export declare class ConversationIndex {
    #private;
    private readonly store;
    constructor(store: ClientStore);
    /** The conversation with `contact`, oldest first (as loadConversation reads it). */
    conversation(contact: Username): Promise<ConversationEntry[]>;
    /** Applies a put the store has committed. */
    committed(entries: Readonly<Record<string, unknown>>): void;
}
/** Deletes messages (received, with their raw envelopes, or sent) in one put; returns the contacts whose conversations changed. */
export declare function removeFromHistory(store: ClientStore, ids: readonly MessageId[]): Promise<Set<Username>>;
