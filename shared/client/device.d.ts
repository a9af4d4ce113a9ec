/**
 * What the messaging steps (outgoing.ts, incoming.ts, key-change.ts) need to
 * know about this device. They take it as an argument rather than reaching
 * into the client, so a test can drive two devices against each other with no
 * server in between.
 */
import type { IdentityKeyPair } from '@envelope/crypto';
import type { DeviceId, Username } from '@envelope/protocol';
import type { SelfRecord } from './key-storage.js';
import type { ClientStore } from './store.js';
export interface DeviceContext {
    readonly store: ClientStore;
    readonly self: SelfRecord;
    readonly identity: IdentityKeyPair;
    /** Milliseconds since the epoch. */
    now(): number;
    /** Strictly increasing: the order entries were created in (clocks can repeat or go back). */
    nextOrder(): number;
    /** A contact's identity key changed (or a device appeared) and is now awaiting the user's decision. */
    onKeyChange(contact: Username, deviceId: DeviceId): void;
    /** The server's sender-certificate key (sealed.ts), null until known: sealed envelopes cannot be opened without it. */
    serverCertificateKey?(): Uint8Array | null;
    /**
     * Key escrow: the narrowest checkword a received access field may have
     * (@envelope/crypto escrow.ts): the width the server announces while in
     * key-escrow, else 16 (either width the layout allows). Absent: 16.
     */
    escrowCheckBits?(): 16 | 64;
}
/** A strictly increasing counter that starts from the clock, so orders also increase across restarts. */
export declare function orderCounter(now: () => number): () => number;
