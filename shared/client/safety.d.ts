import type { DeviceId, Username } from '@envelope/protocol';
import type { DeviceContext } from './device.js';
export interface SafetyNumber {
    readonly contact: Username;
    /** 60 digits in twelve groups of five, space-separated, as people read them out. */
    readonly safetyNumber: string;
    readonly verified: boolean;
    /** A new key is waiting for trustNewKey: this number is for the key still trusted. */
    readonly keyChangePending: boolean;
    /** The contact's devices the number covers: every device we encrypt to (one, unless the server added others). */
    readonly deviceIds: DeviceId[];
}
export declare function computeSafetyNumber(device: DeviceContext, contact: Username): Promise<SafetyNumber>;
/** Marks the contact verified. Refused while a key change is pending: that key is not the one compared. */
export declare function markVerified(device: DeviceContext, contact: Username): Promise<void>;
