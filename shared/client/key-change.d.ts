/**
 * The user's answer to a key change: trust the new key(s), forget the sessions
 * made with the old ones, and decrypt the messages that were held meanwhile,
 * in the order they arrived.
 */
import type { Username } from '@envelope/protocol';
import type { DeviceContext } from './device.js';
import { type HeldEntry, type ReceiveOutcome } from './incoming.js';
/** Held messages from `contact`, oldest first. */
export declare function loadHeld(device: Pick<DeviceContext, 'store'>, contact?: Username): Promise<HeldEntry[]>;
/**
 * Accepts every pending key of `contact` and releases the held messages.
 * Returns what became of each of them (a message, undecryptable, or held again
 * if yet another key turned up). No pending change: nothing happens.
 */
export declare function trustNewKey(device: DeviceContext, contact: Username): Promise<ReceiveOutcome[]>;
