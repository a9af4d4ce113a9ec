/**
 * The WebSocket to /api/ws, kept open: authenticate with the first frame,
 * parse every server frame with the protocol schema, and reconnect with backoff
 * whenever it drops. A 4401 close (token bad or expired) makes the next attempt
 * log in afresh. Frames are handed over in arrival order; what they mean is the
 * client's business (client.ts).
 */
import { type ClientFrameWire, type ServerFrame } from '@envelope/protocol';
import { type BackoffOptions } from './backoff.js';
import { ClientError } from './errors.js';
import { type WebSocketFactory } from './websocket.js';
export type ConnectionStatus = 'connecting' | 'online' | 'offline';
/** A socket that has said nothing for this long after opening is dead: drop it and retry. */
export declare const FIRST_FRAME_TIMEOUT_MS = 15000;
export interface ConnectionOptions {
    readonly url: string;
    readonly WebSocket: WebSocketFactory;
    /** A bearer token; `fresh` after the server refused the last one. */
    getToken(fresh: boolean): Promise<string>;
    onFrame(frame: ServerFrame): void;
    onStatus(status: ConnectionStatus): void;
    /** Something went wrong that the caller should hear about; `fatal` means reconnecting stopped. */
    onError(error: ClientError, fatal: boolean): void;
    readonly backoff?: BackoffOptions;
    readonly random?: () => number;
}
export declare class Connection {
    #private;
    private readonly options;
    constructor(options: ConnectionOptions);
    get status(): ConnectionStatus;
    start(): void;
    stop(): void;
    /** Writes a frame if the socket is open and authenticated; false otherwise (the caller retries at the next 'ready'). */
    send(frame: ClientFrameWire): boolean;
}
