import { ClientError } from './errors.js';
import { type ClientStore, type PutOptions } from './store.js';
export declare const OWNER_RECORD_VERSION = 1;
export interface OwnerRecord {
    v: typeof OWNER_RECORD_VERSION;
    /** Raised by one at every claim: the fencing token. */
    epoch: number;
    /** A random id of the claiming client instance, for diagnostics. */
    holder: string;
    since: number;
}
/** Takes the profile over: raises the owner epoch (compare-and-set), so every older owner's writes are refused from now on. */
export declare function claimOwnership(store: ClientStore, now: number): Promise<OwnerRecord>;
/**
 * The store as one owner sees it: reads pass through, every put is fenced with
 * the owner's epoch. The first refusal marks the ownership lost (and tells
 * `onLost`, once); later puts are refused without asking the store.
 */
export declare class OwnedStore implements ClientStore {
    #private;
    private readonly inner;
    readonly owner: OwnerRecord;
    private readonly onLost;
    /** Told each put once the store has committed it (what keeps the conversation view current: conversation-view.ts). */
    private readonly onCommitted;
    constructor(inner: ClientStore, owner: OwnerRecord, onLost: (error: ClientError) => void, 
    /** Told each put once the store has committed it (what keeps the conversation view current: conversation-view.ts). */
    onCommitted?: (entries: Readonly<Record<string, unknown>>) => void);
    get lost(): boolean;
    get(key: string): Promise<unknown>;
    list(prefix: string): Promise<string[]>;
    put(entries: Readonly<Record<string, unknown>>, options?: PutOptions): Promise<void>;
    /** Throws NOT_OWNER (and marks the ownership lost) if another client has claimed the profile since. */
    assertOwner(): Promise<void>;
}
