/**
 * Test harness: a real server (in-process on a free port, or as a child
 * process for crash tests) over a temporary DATA_DIR, and a raw protocol client
 * that registers real devices with real keys. Used only by tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { toBase64Url, cryptoReady } from '@envelope/crypto-public';
import { sign } from '@envelope/crypto';
import { makeDevice, type TestDevice } from './crypto-fixtures.js';
import { registrationProof, sessionProof, ServerFrameSchema, type ClientFrameWire, type ServerFrame } from '@envelope/protocol';
import { createParser } from 'eventsource-parser';
import { createEnvelopeServer, type EnvelopeServer, type ServerEnvironment } from '@envelope/server/app.js';
import type { DeliveredEnvelope } from '@envelope/server/domain/relay-types.js';
import { loadConfig, type BundleFetchLimits, type ServerConfig } from '@envelope/server/config.js';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

/**
 * How long a test waits for an event (a frame, a server's start, a client's
 * 'ready') before calling it lost. Waits end as soon as the event arrives, so
 * this bounds only a hang. It is generous on purpose: the suite must pass on a
 * busy two-core laptop, where starting a server process or a PQXDH handshake
 * can take many times longer than on an idle one.
 */
export const PATIENCE_MS = 60_000;

const madeDirs: string[] = [];
process.once('exit', () => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory for a server's data (or a client's profiles), removed when the test process exits. */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'envelope-test-'));
  madeDirs.push(dir);
  return dir;
}

/** For tests that fetch many bundles quickly from one address and one account: no bundle limit gets in their way. */
const NO_LIMIT = { perSecond: 1_000_000, burst: 1_000_000 };
export const UNLIMITED_BUNDLE_FETCHES: BundleFetchLimits = { perAccount: NO_LIMIT, perAddress: NO_LIMIT, oneTimePerTarget: NO_LIMIT };

export async function startInProcess(overrides: Partial<ServerConfig> = {}, env: NodeJS.ProcessEnv = {}, environment?: ServerEnvironment) {
  const config: ServerConfig = { ...loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDataDir(), ...env }), ...overrides };
  const logs: string[] = [];
  const server: EnvelopeServer = await createEnvelopeServer(config, (line) => logs.push(line), environment);
  const url = await server.listen();
  return { server, url, config, logs, close: () => server.close() };
}

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
export async function startProcess(dataDir = tempDataDir(), env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    // SKIP_WEB_BUILD: these servers answer protocol tests and benchmarks, not browsers.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SKIP_WEB_BUILD: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 2 * PATIENCE_MS);
    const check = () => {
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match && /operator token: \S+\n/.test(output)) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const operatorToken = output.match(/operator token: (\S+)/)![1]!;
  return {
    url,
    operatorToken,
    dataDir,
    pid: child.pid!,
    output: () => output,
    kill: (signal = 'SIGKILL') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

export interface RegisteredDevice {
  readonly username: string;
  readonly deviceId: number;
  readonly token: string;
  readonly keys: TestDevice;
}

export async function postJson(url: string, body: unknown, token?: string): Promise<{ status: number; json: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

export async function getJson(url: string, token?: string): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, json: await response.json() };
}

export function registrationBody(keys: TestDevice, username: string, challenge: string, extra: Record<string, unknown> = {}) {
  const challengeBytes = Buffer.from(challenge, 'base64url');
  return {
    username,
    identityKey: toBase64Url(keys.identity.publicKey),
    signedPreKey: {
      id: keys.signedPreKey.id,
      publicKey: toBase64Url(keys.signedPreKey.keyPair.publicKey),
      signature: toBase64Url(keys.signedPreKey.signature),
    },
    oneTimePreKeys: [...keys.oneTimePreKeys.values()].map((k) => ({ id: k.id, publicKey: toBase64Url(k.keyPair.publicKey) })),
    kemPreKeys: [...keys.kemPreKeys.values()].map((k) => ({
      id: k.id,
      publicKey: toBase64Url(k.publicKey),
      signature: toBase64Url(k.signature),
      lastResort: k.lastResort,
    })),
    challenge,
    signature: toBase64Url(sign(keys.identity, registrationProof(new Uint8Array(challengeBytes), username))),
    ...extra,
  };
}

/** `accessKey`: the unidentified access key sealed senders must show (POST /api/sealed); none by default. */
export async function register(
  url: string,
  username: string,
  options: { oneTimePreKeys?: number; oneTimeKemPreKeys?: number; accessKey?: Uint8Array } = {},
): Promise<RegisteredDevice> {
  await cryptoReady();
  const keys = makeDevice({ oneTimePreKeys: options.oneTimePreKeys ?? 5, oneTimeKemPreKeys: options.oneTimeKemPreKeys ?? 2 });
  const challenge = await postJson(`${url}/api/auth/challenge`, {});
  if (challenge.status !== 200) throw new Error(`challenge for ${username}: ${challenge.status} ${JSON.stringify(challenge.json)}`);
  const { status, json } = await postJson(`${url}/api/accounts`, registrationBody(keys, username, challenge.json.challenge, options.accessKey ? { accessKey: toBase64Url(options.accessKey) } : {}));
  if (status !== 201) throw new Error(`register ${username}: ${status} ${JSON.stringify(json)}`);
  return { username, deviceId: json.deviceId, token: json.token, keys };
}

export async function signIn(url: string, device: RegisteredDevice): Promise<{ status: number; json: any }> {
  const { json: challenge } = await postJson(`${url}/api/auth/challenge`, {});
  const proof = sessionProof(new Uint8Array(Buffer.from(challenge.challenge, 'base64url')), device.username, device.deviceId);
  return postJson(`${url}/api/auth/session`, {
    username: device.username,
    deviceId: device.deviceId,
    challenge: challenge.challenge,
    signature: toBase64Url(sign(device.keys.identity, proof)),
  });
}

/** A raw WebSocket speaking the frame protocol, with a queue of parsed server frames. */
export class RawSocket {
  readonly frames: ServerFrame[] = [];
  private waiters: (() => void)[] = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const parsed = ServerFrameSchema.safeParse(JSON.parse(data.toString()));
      if (!parsed.success) throw new Error(`server sent a frame outside the protocol: ${data.toString().slice(0, 200)}`);
      this.frames.push(parsed.data);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static open(url: string): Promise<RawSocket> {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/ws`);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new RawSocket(socket)));
      socket.once('error', reject);
    });
  }

  static async authenticated(url: string, device: RegisteredDevice): Promise<RawSocket> {
    const raw = await RawSocket.open(url);
    raw.send({ type: 'auth', token: device.token });
    await raw.next((f) => f.type === 'ready');
    return raw;
  }

  send(frame: ClientFrameWire | Record<string, unknown>): void {
    this.socket.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer, options: { binary?: boolean } = {}): void {
    this.socket.send(data, options);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Removes and returns the first frame matching `predicate`, waiting for it if needed. */
  async next(predicate: (frame: ServerFrame) => boolean = () => true, timeoutMs = PATIENCE_MS): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(predicate);
      if (index >= 0) return this.frames.splice(index, 1)[0]!;
      if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a frame; have: ${JSON.stringify(this.frames.map((f) => f.type))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  waitClosed(timeoutMs = PATIENCE_MS): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
      this.socket.once('close', (code, reason) => {
        clearTimeout(timer);
        resolve({ code, reason: reason.toString() });
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * Resolves once the relay has committed the deletion of every envelope in `ids`
 * (its recipient acknowledged it), with what its observers were told: the event
 * to wait for after an ack, since senders are sent no frame for it. Call it
 * before sending the ack.
 */
export function acksCommitted(server: EnvelopeServer, ids: readonly string[], timeoutMs = PATIENCE_MS): Promise<DeliveredEnvelope[]> {
  const waiting = new Set(ids);
  const seen: DeliveredEnvelope[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for the acks of ${[...waiting].join(', ')}`));
    }, timeoutMs);
    const unsubscribe = server.relay.observe({
      committed: () => {},
      delivered: (envelopes) => {
        for (const envelope of envelopes) if (waiting.delete(envelope.messageId)) seen.push(envelope);
        if (waiting.size > 0) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(seen);
      },
    });
  });
}

export function randomMessageId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

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

export class StreamReader {
  readonly events: SseEvent[] = [];
  comments = 0;
  ended = false;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly response: Response,
    private readonly controller: AbortController,
  ) {}

  static async open(url: string, token: string | undefined, query = ''): Promise<StreamReader> {
    const controller = new AbortController();
    const response = await fetch(`${url}/api/operator/stream${query}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: controller.signal,
    });
    const reader = new StreamReader(response, controller);
    if (response.ok) void reader.pump();
    return reader;
  }

  private async pump(): Promise<void> {
    const parser = createParser({
      onEvent: (message) => {
        // As the browser's EventSource: an event without an `event:` field is a "message".
        this.events.push({ type: message.event ?? 'message', data: message.data, id: message.id });
        this.wake();
      },
      onComment: () => {
        this.comments++;
        this.wake();
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // aborted or cut off by the server
    }
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Waits until `condition` holds (checked on every event, comment and end). */
  async until(condition: () => boolean, what: string, timeoutMs = PATIENCE_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.ended) throw new Error(`stream ended while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; have: ${JSON.stringify(this.events.map((e) => e.type))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Removes and returns the first event matching, waiting for it if needed. */
  async next(predicate: (event: SseEvent) => boolean, what = 'an event'): Promise<SseEvent> {
    await this.until(() => this.events.some(predicate), what);
    return this.events.splice(this.events.findIndex(predicate), 1)[0]!;
  }

  close(): void {
    this.controller.abort();
  }
}
