import type { Username } from '@envelope/protocol';
import type { ClientStore } from './store.js';
/** This device's profile key, made and stored on first use. */
export declare function ownProfileKey(store: ClientStore): Promise<Uint8Array>;
/** Our access key, base64url (what the server is given). */
export declare function ownAccessKey(store: ClientStore): Promise<string>;
/** Records that the server holds `accessKey` for us. */
export declare function accessKeyRegisteredEntry(accessKey: string): Record<string, unknown>;
/**
 * Uploads our access key unless the server is known to hold this one (an
 * account registered before access keys existed, or whose upload was lost).
 */
export declare function ensureAccessKeyRegistered(store: ClientStore, upload: (accessKey: string) => Promise<void>): Promise<void>;
/** The access key for sealing to `contact`, base64url; undefined until they have written to us. */
export declare function contactAccessKey(store: ClientStore, contact: Username): Promise<string | undefined>;
