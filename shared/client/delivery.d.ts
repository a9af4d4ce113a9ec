/**
 * The sender's side of at-least-once delivery: outbox entries go on the wire
 * at every (re)connect until the server answers `stored`; a refusal that can
 * pass (RATE_LIMITED, a server error) is retried later, one that cannot
 * (UNKNOWN_RECIPIENT, a malformed envelope) takes the entry out of the outbox
 * and fails the send. `send()` callers wait here for their envelopes.
 */
import { type MessageId, type ClientFrameWire, type ServerFrame } from '@envelope/protocol';
import { ClientError } from './errors.js';
import { type OutboxEntry } from './outgoing.js';
import type { ClientStore } from './store.js';
type StoredFrame = Extract<ServerFrame, {
    type: 'stored';
}>;
type ErrorFrame = Extract<ServerFrame, {
    type: 'error';
}>;
export interface DeliveryHooks {
    /** Writes a frame; false if the socket is not usable now (the entry waits for the next 'ready'). */
    send(frame: ClientFrameWire): boolean;
    onStored(entry: OutboxEntry, storedAt: number): void;
    onFailed(entry: OutboxEntry, error: ClientError): void;
    /** Sends a sealed-sender envelope over POST /api/sealed (no token); rejects with a ClientError. */
    postSealed(entry: OutboxEntry): Promise<{
        storedAt: number;
    }>;
    /** What went wrong handling a sealed post's answer (it runs on its own, with nobody awaiting it). */
    onBackgroundError(error: unknown): void;
}
/**
 * The `send` frame for an outbox entry. A receipt says so on the envelope
 * (`receipt: true`), as Signal's clients mark receipts `urgent: false`: the
 * server can tell them from messages, which is no news to it (it saw the
 * message arrive and the recipient take it). Sealed entries go over
 * POST /api/sealed instead, with no marker: there it would name the pair.
 */
export declare function sendFrame(entry: OutboxEntry): ClientFrameWire;
export declare class Delivery {
    #private;
    private readonly store;
    private readonly hooks;
    constructor(store: ClientStore, hooks: DeliveryHooks);
    /** Resolves with storedAt once the server stored envelope `id`. Register before sending. */
    waitFor(id: MessageId): Promise<number>;
    /** Puts entries on the wire now (if the socket is usable). */
    transmit(entries: readonly OutboxEntry[]): void;
    /** Resends the whole outbox, oldest first (after every 'ready'). */
    flush(): Promise<void>;
    handleStored(frame: StoredFrame): Promise<void>;
    /** Handles an error frame naming an envelope; false if the id is not one of ours (the caller reports it). */
    handleError(frame: ErrorFrame): Promise<boolean>;
    /** Fails every waiting send (the entries stay in the outbox for next time). */
    abort(error: ClientError): void;
}
export {};
