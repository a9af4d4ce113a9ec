import type { FetchLike, WebSocketFactory, WebSocketLike } from '@envelope/client-core';
export type Frame = Record<string, unknown>;
/** Faults applied to every socket of a factory, current and future. */
export interface WireFaults {
    /** Server frames matching this are lost before the client sees them. */
    dropIncoming: ((frame: Frame) => boolean) | null;
    /** Client frames matching this are lost before they reach the server (still recorded in `sent`). */
    dropOutgoing: ((frame: Frame) => boolean) | null;
    /** While true, server frames are queued instead of delivered (release() delivers them). */
    holding: boolean;
}
export declare class TappedSocket implements WebSocketLike {
    #private;
    readonly url: string;
    private readonly faults;
    /** Every frame the client wrote, lost or not. */
    readonly sent: Frame[];
    /** Every frame delivered to the client. */
    readonly received: Frame[];
    /** When the client created it (Date.now()). */
    readonly createdAt: number;
    /** The close code the client saw, once closed. */
    closeCode: number | undefined;
    constructor(url: string, faults: WireFaults);
    get readyState(): number;
    addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: never): void;
    send(data: string): void;
    close(code?: number, reason?: string): void;
    /** Cuts the connection without a closing handshake (the client sees 1006). */
    cut(): void;
    /** Delivers data the server never sent (a corrupted or hostile network). */
    inject(data: unknown): void;
    /** How many server frames are held (not yet delivered to the client). */
    get heldCount(): number;
    /** Delivers frames queued while the factory was holding. */
    release(): void;
    sentOfType(type: string): Frame[];
    receivedOfType(type: string): Frame[];
}
export interface WireTap {
    readonly WebSocket: WebSocketFactory;
    readonly sockets: TappedSocket[];
    readonly faults: WireFaults;
    latest(): TappedSocket;
    /** Stops holding and delivers what was held, on every socket. */
    release(): void;
}
/** A WebSocket constructor over real sockets, every instance recorded (newest last). */
export declare function wireTap(): WireTap;
export interface FetchTap {
    readonly fetch: FetchLike;
    /** Every request, as "METHOD /path". */
    readonly requests: string[];
    /** The next request to `path` reaches the server, but its response is lost (the caller sees a network error). */
    loseNextResponse(path: string): void;
}
/** The real fetch, recorded, with responses that can be lost in transit. */
export declare function fetchTap(inner?: FetchLike): FetchTap;
