/**
 * Requests from many client addresses on one machine, for the attack tests and
 * bench/attacks/: every address in 127.0.0.0/8 is this machine's own, and a
 * socket bound to 127.0.0.N reaches a server on 127.0.0.1 with that address as
 * its source, so one process can act as hundreds of clients. Only loopback:
 * both the server and the source address must be in 127.0.0.0/8.
 */
import { Agent, request } from 'node:http';

const LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export interface LoopbackClient {
  readonly address: string;
  post(path: string, body: unknown, token?: string, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  get(path: string, token?: string): Promise<{ status: number; json: any }>;
  close(): void;
}

/** The loopback address 127.0.0.N (N from 1 to 254 stays within one /24, for simple counting). */
export function loopbackAddress(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 254) throw new Error(`loopback host number must be 1..254 (got ${n})`);
  return `127.0.0.${n}`;
}

export function loopbackClient(serverUrl: string, address: string): LoopbackClient {
  const server = new URL(serverUrl);
  if (!LOOPBACK.test(server.hostname)) throw new Error(`attack tools target loopback only, not ${server.hostname}`);
  if (!LOOPBACK.test(address)) throw new Error(`source address must be in 127.0.0.0/8, not ${address}`);
  const agent = new Agent({ keepAlive: true, maxSockets: 4, localAddress: address });
  const send = (method: string, path: string, body: unknown, token: string | undefined, extraHeaders: Record<string, string> = {}) =>
    new Promise<{ status: number; json: any }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          host: server.hostname,
          port: server.port,
          path,
          method,
          agent,
          headers: {
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...extraHeaders,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown = text;
            try {
              json = JSON.parse(text);
            } catch {
              // not JSON: kept as text
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return {
    address,
    post: (path, body, token, headers) => send('POST', path, body, token, headers),
    get: (path, token) => send('GET', path, undefined, token),
    close: () => agent.destroy(),
  };
}

/** Runs `task` over `items` with at most `concurrency` in flight; results in input order. */
export async function inBatches<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
