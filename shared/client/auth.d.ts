/**
 * Bearer tokens for this device. Authentication is possession of the identity
 * key (shared/protocol/auth.ts): sign a fresh server challenge, get a token.
 * Tokens expire, so a request that comes back 401 logs in again, once.
 * Tokens are kept in memory only: one more signature is cheaper than a stored
 * credential.
 */
import { type IdentityKeyPair } from '@envelope/crypto';
import type { SelfRecord } from './key-storage.js';
import type { ServerApi, SessionGranted } from './server-api.js';
/** Sig(IK, registrationProof(challenge, username)), base64url, for RegisterRequest. */
export declare function signRegistration(identity: IdentityKeyPair, challenge: Uint8Array, username: string): string;
/** Logs in with the identity key: SessionRequest over a fresh challenge. */
export declare function logIn(api: ServerApi, self: SelfRecord, identity: IdentityKeyPair): Promise<SessionGranted>;
export declare class TokenSource {
    #private;
    private readonly api;
    private readonly self;
    private readonly identity;
    private readonly now;
    constructor(api: ServerApi, self: SelfRecord, identity: IdentityKeyPair, now: () => number);
    /** Remembers a token the server just granted (at registration). */
    adopt(granted: SessionGranted): void;
    /** A valid token; `fresh` forces a new login (after a 401 or a 4401 close). */
    token(fresh?: boolean): Promise<string>;
    /** Runs an authenticated request; on 401 logs in again and retries once. */
    authed<T>(request: (token: string) => Promise<T>): Promise<T>;
}
