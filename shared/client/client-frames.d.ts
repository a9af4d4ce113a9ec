/**
 * What EnvelopeClient does with each server frame, and the background work
 * frames start: a prekey refill ('prekeys-low'), delivery receipts for the
 * messages we stored (receipts.ts) and a session reset (an unreadable message,
 * session-reset.ts). Kept apart from client.ts, which is the app's API; this
 * is the reaction to the server. Every frame is handled on the client's one
 * SerialQueue, in arrival order.
 */
import { type BundleResponse, type Username, type ClientFrameWire, type ServerFrame } from '@envelope/protocol';
import type { ClientEvents } from './client-events.js';
import type { Registered } from './client-types.js';
import { Delivery, type DeliveryHooks } from './delivery.js';
import { ClientError } from './errors.js';
import type { Emitter } from './events.js';
import { type ReceiveOutcome } from './incoming.js';
import type { PolicyState } from './policy.js';
import type { SerialQueue } from './serial.js';
import type { ClientStore } from './store.js';
import type { Waiters } from './waiters.js';
/** What the frame handling needs from the client. */
export interface FrameHost {
    readonly events: Emitter<ClientEvents>;
    readonly store: ClientStore;
    readonly queue: SerialQueue;
    readonly delivery: Delivery;
    readonly ready: Waiters<ClientError>;
    /** The account in use (throws NOT_REGISTERED). */
    registered(): Registered;
    /** Writes a frame on the socket; false when there is none usable. */
    send(frame: ClientFrameWire): boolean;
    /** The server's policy mode (policy.ts): every receipt and session reset is encrypted under the one in force. */
    readonly policy: PolicyState;
    fetchBundle(name: Username): Promise<BundleResponse>;
    /** This device's current sender certificate (for sealed receipts). */
    senderCertificate(): Promise<Uint8Array>;
    refillPreKeys(counts: {
        oneTimePreKeys: number;
        kemPreKeys: number;
    }): Promise<unknown>;
    rotatePreKeys(): Promise<unknown>;
    closed(): boolean;
}
/** The outbox's delivery, reporting to the app (control messages excepted: they are not chat). */
export declare function createDelivery(store: ClientStore, events: Emitter<ClientEvents>, send: (frame: ClientFrameWire) => boolean, postSealed: DeliveryHooks['postSealed'], closed: () => boolean): Delivery;
export declare class FrameHandler {
    #private;
    private readonly host;
    constructor(host: FrameHost);
    onFrame(frame: ServerFrame): void;
    /** Tells the app what became of a received (or released) message. */
    report(outcome: ReceiveOutcome): void;
    refillInBackground(counts: {
        oneTimePreKeys: number;
        kemPreKeys: number;
    }): void;
    /** The signed and last-resort KEM prekeys replaced if due, expired old ones deleted (prekey-rotation.ts). */
    rotateInBackground(): void;
    /**
     * Sends the pending receipts (receipts.ts), behind the frames already
     * queued: a backlog of messages is acknowledged in one receipt per sender
     * device. Failures leave them pending; the next 'ready' tries again.
     */
    sendReceiptsInBackground(): void;
    /** Settles once the background work running now has finished (for close()). */
    settled(): Promise<void>;
}
