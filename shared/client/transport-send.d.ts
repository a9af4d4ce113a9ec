import { type DeviceId, type MessageId, type Username } from '@envelope/protocol';
import type { DeviceContext } from './device.js';
import { type BundleFetcher, type OutboxEntry } from './outgoing.js';
/** The devices of one contact to seal a message for, and the server's key to seal it to. */
export interface TransportRecipients {
    readonly transportKey: Uint8Array;
    readonly devices: readonly DeviceId[];
}
/**
 * The devices to send `contact` a transport-only message: the ones we trust,
 * or, for someone we have never written to, the ones in their bundle.
 *
 * Why the trusted list, and the bundle's identity checks kept as in e2ee:
 * in this mode the server reads the message whatever keys the devices have,
 * so a key check protects no content here. But the contact record is what the
 * end-to-end mode trusts when the operator switches back: a key first seen
 * now is trusted on first use exactly as an e2ee send would have trusted it,
 * and a pending key change still stops sending (KEY_CHANGED) until the user
 * decides, so the mode never changes what the safety number warnings mean.
 * The bundle is fetched only when no device is known, as e2ee does; that
 * hands out one-time prekeys nobody uses (the server refills them), the price
 * of not opening a session here.
 */
export declare function transportRecipients(device: DeviceContext, contact: Username, fetchBundle: BundleFetcher, transportKey: Uint8Array): Promise<TransportRecipients>;
/**
 * `message` sealed to the server once per device: the outbox entries (marked
 * transport-only), the store entries to put, and the padded payload (the same
 * for every device; what the X-ray shows).
 */
export declare function sealForDevices(device: DeviceContext, to: Username, message: Uint8Array, recipients: TransportRecipients, now: number, extra?: Pick<OutboxEntry, 'control' | 'commitment'>, sealWith?: {
    certificate: Uint8Array;
    accessKey: string;
}): {
    messageId: MessageId;
    envelopes: OutboxEntry[];
    entries: Record<string, unknown>;
    padded: Uint8Array;
};
