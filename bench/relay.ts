/**
 * The `relay` benchmark section. 200 clients on loopback, each keeping a few
 * ~300-byte envelopes in flight to random peers; recipients acknowledge what
 * they receive. The same load generator drives, in the same run:
 *   - the real relay (server/main.ts as its own process, SQLite in a temp dir),
 *   - a bare ws forwarder (relay-baseline-server.ts): no storage, no checks.
 * Each server gets its own process (one core); the load generator has the other.
 *
 * Figures: delivered messages per second over the measured window, latency from
 * send to arrival at the recipient (p50, p99), and `lost`: envelopes the server
 * confirmed as stored that never reached their recipient within the drain time.
 * (`BENCH_RELAY_SECONDS` and `BENCH_RELAY_ROUNDS` change the length of a run.)
 */
import { spawn } from 'node:child_process';
import { WebSocket } from 'ws';
import { toBase64Url } from '../shared/crypto/bytes.js';
import { register, startProcess, tempDataDir, REPO_ROOT } from '../server/testing/harness.js';

export const RELAY_CLIENTS = 200;
const ENVELOPE_BYTES = 300;
/** Envelopes each client keeps in flight (sent, not yet confirmed stored). */
const IN_FLIGHT_PER_CLIENT = 16;
const DEFAULT_SECONDS = 5;
const DEFAULT_ROUNDS = 3;
const WARMUP_MS = 1500;
const DRAIN_MS = 5000;

export interface LoadResult {
  delivered_msgs_per_s: number;
  p50_ms: number;
  p99_ms: number;
  lost: number;
  confirmed: number;
}

export interface RelaySection extends LoadResult {
  clients: number;
  seconds: number;
  rounds: number;
  envelope_bytes: number;
  in_flight_per_client: number;
  rounds_msgs_per_s: { relay: number[]; relay_signals_off: number[]; baseline: number[] };
  /** The same relay with SIGNALS=off (no detectors on the hot path). */
  signals_off_msgs_per_s: number;
  /** delivered_msgs_per_s / signals_off_msgs_per_s: what the live detectors cost (1.0 = nothing). */
  signals_on_vs_off: number;
  baseline_msgs_per_s: number;
  baseline_p50_ms: number;
  baseline_p99_ms: number;
  ratio_vs_baseline: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function openSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/ws`);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Drives `clients` authenticated sockets for `seconds`; `tokens[i]` authenticates client i as `names[i]`. */
async function runLoad(url: string, names: string[], tokens: string[], seconds: number): Promise<LoadResult> {
  const sockets = await Promise.all(names.map(() => openSocket(url)));
  const sentAt = new Map<string, number>();
  const confirmed = new Set<string>();
  const delivered = new Set<string>();
  const latencies: number[] = [];
  let measuring = false;
  let stopping = false;
  let deliveredInWindow = 0;
  let serial = 0;
  const payload = new Uint8Array(ENVELOPE_BYTES);
  crypto.getRandomValues(payload);
  payload[0] = 0x01;
  const body = toBase64Url(payload);
  // Every text message carries a franking commitment the relay stamps (reports.ts): the benchmark pays for it too.
  const commitment = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));

  const sendOne = (i: number) => {
    if (stopping) return;
    let to = Math.floor(Math.random() * (names.length - 1));
    if (to >= i) to++;
    const id = `m${i}x${serial++}xxxxxx`;
    sentAt.set(id, performance.now());
    sockets[i]!.send(JSON.stringify({ type: 'send', id, to: names[to], toDevice: 1, body, commitment }));
  };

  await Promise.all(
    sockets.map(
      (socket, i) =>
        new Promise<void>((ready) => {
          const pendingAcks: string[] = [];
          let ackScheduled = false;
          socket.on('message', (data) => {
            const frame = JSON.parse(data.toString()) as { type: string; id?: string; code?: string };
            if (frame.type === 'ready') ready();
            else if (frame.type === 'stored') {
              confirmed.add(frame.id!);
              sendOne(i);
            } else if (frame.type === 'message') {
              if (!delivered.has(frame.id!)) {
                delivered.add(frame.id!);
                const started = sentAt.get(frame.id!);
                if (measuring && started !== undefined) {
                  deliveredInWindow++;
                  latencies.push(performance.now() - started);
                }
              }
              pendingAcks.push(frame.id!);
              if (!ackScheduled) {
                ackScheduled = true;
                setImmediate(() => {
                  ackScheduled = false;
                  socket.send(JSON.stringify({ type: 'ack', ids: pendingAcks.splice(0, 256) }));
                });
              }
            } else if (frame.type === 'error') {
              // RATE_LIMITED or busy: back off briefly and try again, as a client would.
              setTimeout(() => sendOne(i), 50);
            }
          });
          socket.send(JSON.stringify({ type: 'auth', token: tokens[i] }));
        }),
    ),
  );

  for (let i = 0; i < sockets.length; i++) for (let k = 0; k < IN_FLIGHT_PER_CLIENT; k++) sendOne(i);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  measuring = true;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = (performance.now() - start) / 1000;
  measuring = false;
  stopping = true;
  // Let everything confirmed arrive, then count what never did.
  const drainUntil = Date.now() + DRAIN_MS;
  while (Date.now() < drainUntil && [...confirmed].some((id) => !delivered.has(id))) await new Promise((r) => setTimeout(r, 100));
  const lost = [...confirmed].filter((id) => !delivered.has(id)).length;
  for (const socket of sockets) socket.close();
  latencies.sort((a, b) => a - b);
  return {
    delivered_msgs_per_s: Math.round(deliveredInWindow / elapsed),
    p50_ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99_ms: Math.round(percentile(latencies, 99) * 100) / 100,
    lost,
    confirmed: confirmed.size,
  };
}

interface LoadTarget {
  readonly url: string;
  readonly names: string[];
  readonly tokens: string[];
  stop(): Promise<void>;
}

async function startBaseline(): Promise<LoadTarget> {
  const child = spawn(process.execPath, [...serverNodeArgs(), '--import', 'tsx', 'bench/relay-baseline-server.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/listening on (\S+)/);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`baseline server exited with ${code}`)));
  });
  const names = Array.from({ length: RELAY_CLIENTS }, (_, i) => `client-${i}`);
  return { url, names, tokens: names, stop: async () => void child.kill('SIGKILL') };
}

async function startRelay(signals: 'on' | 'off'): Promise<LoadTarget> {
  // Rate limits are for people; the benchmark measures capacity, so they are raised.
  const server = await startProcess(tempDataDir(), { SEND_RATE_PER_SECOND: '100000', SIGN_INS_PER_MINUTE: '100000', SIGNALS: signals }, serverNodeArgs());
  const names = Array.from({ length: RELAY_CLIENTS }, (_, i) => `client-${i}`);
  const tokens: string[] = [];
  for (const name of names) tokens.push((await register(server.url, name, { oneTimePreKeys: 1 })).token);
  return { url: server.url, names, tokens, stop: () => server.kill('SIGTERM') };
}

function serverNodeArgs(): string[] {
  return process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
}

function medianOf(results: LoadResult[], key: keyof LoadResult): number {
  const sorted = results.map((r) => r[key]).sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/**
 * Rounds rotate (forwarder, relay, relay without live signals, forwarder, ...)
 * so that a disturbance on this shared machine hits all three; each figure is
 * the median of its rounds. `lost` is the total over all relay rounds. The
 * relay proper runs with its metadata signals on, as `npm start` does;
 * `signals_off_msgs_per_s` is the same relay with SIGNALS=off, for their cost.
 */
export async function benchRelay(): Promise<RelaySection> {
  const seconds = Number(process.env.BENCH_RELAY_SECONDS ?? DEFAULT_SECONDS);
  const rounds = Number(process.env.BENCH_RELAY_ROUNDS ?? DEFAULT_ROUNDS);
  const baselineTarget = await startBaseline();
  const relayTarget = await startRelay('on');
  const signalsOffTarget = await startRelay('off');
  const baseline: LoadResult[] = [];
  const relay: LoadResult[] = [];
  const signalsOff: LoadResult[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      process.stderr.write(`bench relay: round ${round}/${rounds}: bare forwarder, ${RELAY_CLIENTS} clients, ${seconds} s\n`);
      baseline.push(await runLoad(baselineTarget.url, baselineTarget.names, baselineTarget.tokens, seconds));
      process.stderr.write(`bench relay: round ${round}/${rounds}: relay, ${RELAY_CLIENTS} clients, ${seconds} s\n`);
      relay.push(await runLoad(relayTarget.url, relayTarget.names, relayTarget.tokens, seconds));
      process.stderr.write(`bench relay: round ${round}/${rounds}: relay with SIGNALS=off, ${RELAY_CLIENTS} clients, ${seconds} s\n`);
      signalsOff.push(await runLoad(signalsOffTarget.url, signalsOffTarget.names, signalsOffTarget.tokens, seconds));
    }
  } finally {
    await baselineTarget.stop();
    await relayTarget.stop();
    await signalsOffTarget.stop();
  }
  const delivered = medianOf(relay, 'delivered_msgs_per_s');
  const baselineRate = medianOf(baseline, 'delivered_msgs_per_s');
  return {
    clients: RELAY_CLIENTS,
    seconds,
    rounds,
    envelope_bytes: ENVELOPE_BYTES,
    in_flight_per_client: IN_FLIGHT_PER_CLIENT,
    delivered_msgs_per_s: delivered,
    p50_ms: medianOf(relay, 'p50_ms'),
    p99_ms: medianOf(relay, 'p99_ms'),
    lost: [...relay, ...signalsOff].reduce((n, r) => n + r.lost, 0),
    confirmed: [...relay, ...signalsOff].reduce((n, r) => n + r.confirmed, 0),
    baseline_msgs_per_s: baselineRate,
    baseline_p50_ms: medianOf(baseline, 'p50_ms'),
    baseline_p99_ms: medianOf(baseline, 'p99_ms'),
    ratio_vs_baseline: Math.round((delivered / baselineRate) * 100) / 100,
    signals_off_msgs_per_s: medianOf(signalsOff, 'delivered_msgs_per_s'),
    signals_on_vs_off: Math.round((delivered / medianOf(signalsOff, 'delivered_msgs_per_s')) * 100) / 100,
    rounds_msgs_per_s: {
      relay: relay.map((r) => r.delivered_msgs_per_s),
      relay_signals_off: signalsOff.map((r) => r.delivered_msgs_per_s),
      baseline: baseline.map((r) => r.delivered_msgs_per_s),
    },
  };
}
