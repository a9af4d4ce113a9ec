import { WebSocket } from 'ws';
import { type TestDevice } from './crypto-fixtures.js';
import { type ClientFrameWire, type ServerFrame } from '@envelope/protocol';
import { type EnvelopeServer, type ServerEnvironment } from '@envelope/server/app.js';
import type { DeliveredEnvelope } from '@envelope/server/domain/relay-types.js';
import { type BundleFetchLimits, type ServerConfig } from '@envelope/server/config.js';
export declare const REPO_ROOT: string;
/**
 * How long a test waits for an event (a frame, a server's start, a client's
 * 'ready') before calling it lost. Waits end as soon as the event arrives, so
 * this bounds only a hang. It is generous on purpose: the suite must pass on a
 * busy two-core laptop, where starting a server process or a PQXDH handshake
 * can take many times longer than on an idle one.
 */
export declare const PATIENCE_MS = 60000;
/** A fresh directory for a server's data (or a client's profiles), removed when the test process exits. */
export declare function tempDataDir(): string;
export declare const UNLIMITED_BUNDLE_FETCHES: BundleFetchLimits;
export declare function startInProcess(overrides?: Partial<ServerConfig>, env?: NodeJS.ProcessEnv, environment?: ServerEnvironment): Promise<{
    server: EnvelopeServer;
    url: string;
    config: ServerConfig;
    logs: string[];
    close: () => Promise<void>;
}>;
export interface ServerProcess {
    readonly url: string;
    readonly operatorToken: string;
    readonly dataDir: string;
    /** The server's process id (the relay benchmark pins it to a core). */
    readonly pid: number;
    readonly output: () => string;
    kill(signal?: NodeJS.Signals): Promise<void>;
}
/** Runs `server/main.ts` as a real process, as `npm start` does. */
export declare function startProcess(dataDir?: string, env?: NodeJS.ProcessEnv, nodeArgs?: string[]): Promise<ServerProcess>;
export interface RegisteredDevice {
    readonly username: string;
    readonly deviceId: number;
    readonly token: string;
    readonly keys: TestDevice;
}
export declare function postJson(url: string, body: unknown, token?: string): Promise<{
    status: number;
    json: any;
}>;
export declare function getJson(url: string, token?: string): Promise<{
    status: number;
    json: any;
}>;
export declare function registrationBody(keys: TestDevice, username: string, challenge: string, extra?: Record<string, unknown>): {
    username: string;
    identityKey: string;
    signedPreKey: {
        id: number;
        publicKey: string;
        signature: string;
    };
    oneTimePreKeys: {
        id: number;
        publicKey: string;
    }[];
    kemPreKeys: {
        id: number;
        publicKey: string;
        signature: string;
        lastResort: boolean;
    }[];
    challenge: string;
    signature: string;
};
/** `accessKey`: the unidentified access key sealed senders must show (POST /api/sealed); none by default. */
export declare function register(url: string, username: string, options?: {
    oneTimePreKeys?: number;
    oneTimeKemPreKeys?: number;
    accessKey?: Uint8Array;
}): Promise<RegisteredDevice>;
export declare function signIn(url: string, device: RegisteredDevice): Promise<{
    status: number;
    json: any;
}>;
/** A raw WebSocket speaking the frame protocol, with a queue of parsed server frames. */
export declare class RawSocket {
    readonly socket: WebSocket;
    readonly frames: ServerFrame[];
    private waiters;
    closed: {
        code: number;
        reason: string;
    } | undefined;
    private constructor();
    static open(url: string): Promise<RawSocket>;
    static authenticated(url: string, device: RegisteredDevice): Promise<RawSocket>;
    send(frame: ClientFrameWire | Record<string, unknown>): void;
    sendRaw(data: string | Buffer, options?: {
        binary?: boolean;
    }): void;
    private wake;
    /** Removes and returns the first frame matching `predicate`, waiting for it if needed. */
    next(predicate?: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
    waitClosed(timeoutMs?: number): Promise<{
        code: number;
        reason: string;
    }>;
    close(): void;
}
/**
 * Resolves once the relay has committed the deletion of every envelope in `ids`
 * (its recipient acknowledged it), with what its observers were told: the event
 * to wait for after an ack, since senders are sent no frame for it. Call it
 * before sending the ack.
 */
export declare function acksCommitted(server: EnvelopeServer, ids: readonly string[], timeoutMs?: number): Promise<DeliveredEnvelope[]>;
export declare function randomMessageId(): string;
/**
 * An operator stream read as the page reads it (fetch with the token in the
 * Authorization header, parsed by eventsource-parser, as the page does), with
 * a queue of events like RawSocket's.
 */
/** One event from an operator stream. */
export interface SseEvent {
    /** The `event:` field, or "message" when none was given. */
    readonly type: string;
    readonly data: string;
    readonly id: string | undefined;
}
export declare class StreamReader {
    readonly response: Response;
    private readonly controller;
    readonly events: SseEvent[];
    comments: number;
    ended: boolean;
    private waiters;
    private constructor();
    static open(url: string, token: string | undefined, query?: string): Promise<StreamReader>;
    private pump;
    private wake;
    /** Waits until `condition` holds (checked on every event, comment and end). */
    until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
    /** Removes and returns the first event matching, waiting for it if needed. */
    next(predicate: (event: SseEvent) => boolean, what?: string): Promise<SseEvent>;
    close(): void;
}
