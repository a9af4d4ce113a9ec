/**
 * The seen-set: ids of envelopes already handled, so a repeat (delivery is at
 * least once) is acked and dropped instead of shown twice. A repeat can only
 * come from the window between our store and the server receiving our ack, so
 * the set is bounded: past MAX_SEEN_IDS, the oldest ids are forgotten.
 */
import type { ClientStore } from './store.js';
export declare const MAX_SEEN_IDS = 5000;
export declare function pruneSeen(store: ClientStore, max?: number): Promise<number>;
