import type { DeviceContext } from './device.js';
import type { MessageFrame, ReceiveOutcome, TextInboxEntry, UndecryptableReason } from './incoming.js';
export interface TransportReceiveContext {
    /** The inbox entry's common fields (receiveEnvelope's `base`). */
    readonly base: Omit<TextInboxEntry, 'kind' | 'text' | 'sentAt' | 'order' | 'franking' | 'sealedSender' | 'reported'>;
    /** The seen-set entry (and the caller's extra entries), for every put that ends the handling. */
    readonly seen: Readonly<Record<string, unknown>>;
    /** Stores it as unreadable (or drops a marked receipt), as receiveEnvelope does. */
    fail(reason: UndecryptableReason): Promise<ReceiveOutcome>;
}
export declare function receiveTransport(device: DeviceContext, frame: MessageFrame, body: Uint8Array, context: TransportReceiveContext): Promise<ReceiveOutcome>;
