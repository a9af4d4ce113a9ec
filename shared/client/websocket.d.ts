/**
 * The part of a WebSocket the client uses. Node passes the `ws` package's
 * WebSocket, the browser passes window.WebSocket; both fit, and tests pass
 * wire-tap.ts (a recording wrapper around the real one). Listeners are
 * declared as methods so that either implementation's richer event types are
 * accepted.
 */
export interface WebSocketLike {
    readonly readyState: number;
    send(data: string): void;
    close(code?: number, reason?: string): void;
    addEventListener(type: 'open', listener: () => void): void;
    addEventListener(type: 'message', listener: (event: {
        readonly data: unknown;
    }) => void): void;
    addEventListener(type: 'close', listener: (event: {
        readonly code: number;
    }) => void): void;
    addEventListener(type: 'error', listener: () => void): void;
}
export type WebSocketFactory = new (url: string) => WebSocketLike;
/** WebSocket.OPEN in every implementation (WHATWG HTML §9.3.1). */
export declare const WEBSOCKET_OPEN = 1;
/** Close codes. 4401 is the server's "token bad or expired: authenticate again". */
export declare const CLOSE_NORMAL = 1000;
export declare const CLOSE_UNAUTHORIZED = 4401;
/** Turns http(s)://host into ws(s)://host/api/ws. */
export declare function webSocketUrl(serverUrl: string): string;
