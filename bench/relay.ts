/**
 * The `relay` benchmark section. 200 clients on loopback, each keeping a few
 * ~300-byte envelopes in flight to random peers; recipients acknowledge what
 * they receive. The same load generator drives, in the same run:
 *   - the real relay (server/main.ts as its own process, SQLite in a temp dir),
 *   - the same relay in transport-only (POLICY_MODE=transport-only): every
 *     envelope is sealed to the server's transport key, and the relay opens it,
 *     reads the text and writes a content-log row in the same commit,
 *   - the same relay in key-escrow (POLICY_MODE=key-escrow): every envelope
 *     carries an access field, which the relay checks for shape, passes on, and
 *     keeps with the ciphertext after delivery (escrow_retained, same commit),
 *   - a bare ws forwarder (relay-baseline-server.ts): no storage, no checks.
 * Each server gets its own process, pinned to one core; the load generator is
 * pinned to the other (pinCores).
 *
 * Figures: delivered messages per second over the measured window, latency from
 * send to arrival at the recipient (p50, p99), and `lost`: envelopes the server
 * confirmed as stored that never reached their recipient within the drain time.
 * (`BENCH_RELAY_SECONDS` and `BENCH_RELAY_ROUNDS` change the length of a run,
 * e.g. `BENCH_RELAY_SECONDS=1 BENCH_RELAY_ROUNDS=1` for a quick check that it
 * runs; `BENCH_RELAY_PIN=off` leaves scheduling to the system.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { WebSocket } from 'ws';
import { cryptoReady, fromBase64Url, toBase64Url, utf8Encode } from '@envelope/crypto-public';
import { buildAccessField, sealToServer } from '@envelope/crypto';
import { encodeTransportPayload } from '@envelope/protocol';
import { getJson, register, startProcess, tempDataDir, REPO_ROOT } from '@envelope/testkit/harness.js';
import { median } from './measure.js';

export const RELAY_CLIENTS = 200;
const ENVELOPE_BYTES = 300;
/** Envelopes each client keeps in flight (sent, not yet confirmed stored). */
const IN_FLIGHT_PER_CLIENT = 16;
const DEFAULT_SECONDS = 5;
const DEFAULT_ROUNDS = 5;
/** Untimed load before each round's measured window. */
const WARMUP_MS = 1500;
/**
 * An untimed run per server before the first round. A fresh relay was measured
 * slowest in its first round nearly every time (its JIT, SQLite file and caches
 * still cold): that measured start-up, not throughput.
 */
const FIRST_WARMUP_SECONDS = 3;
const DRAIN_MS = 5000;

export interface LoadResult {
  delivered_msgs_per_s: number;
  p50_ms: number;
  p99_ms: number;
  lost: number;
  confirmed: number;
  /**
   * The server's CPU time (all its threads, user and system) per message delivered in the
   * measured window, in µs; null where /proc is not there. Unlike msgs/s it does not fall
   * when other programs take the core, so it compares two versions of the relay on a busy machine.
   */
  server_cpu_us_per_msg: number | null;
}

export interface RelaySection extends LoadResult {
  clients: number;
  seconds: number;
  rounds: number;
  envelope_bytes: number;
  in_flight_per_client: number;
  rounds_msgs_per_s: { relay: number[]; relay_signals_off: number[]; transport_only: number[]; key_escrow: number[]; baseline: number[] };
  rounds_cpu_us_per_msg: {
    relay: (number | null)[];
    relay_signals_off: (number | null)[];
    transport_only: (number | null)[];
    key_escrow: (number | null)[];
    baseline: (number | null)[];
  };
  /** Whether each server ran pinned to one core and the load generator to the other. */
  pinned_cores: boolean;
  /** The same relay with SIGNALS=off (no detectors on the hot path). */
  signals_off_msgs_per_s: number;
  /** Median of the per-round ratios relay / relay with SIGNALS=off: what the live detectors cost (1.0 = nothing). */
  signals_on_vs_off: number;
  baseline_msgs_per_s: number;
  baseline_cpu_us_per_msg: number | null;
  signals_off_cpu_us_per_msg: number | null;
  baseline_p50_ms: number;
  baseline_p99_ms: number;
  /** Median of the per-round ratios relay / bare forwarder (rounds run back to back). */
  ratio_vs_baseline: number;
  /** The relay in transport-only: every envelope opened, read and logged (the content log). */
  transport_only_msgs_per_s: number;
  transport_only_p50_ms: number;
  transport_only_p99_ms: number;
  transport_only_cpu_us_per_msg: number | null;
  /** Median of the per-round ratios transport-only / e2ee (the relay proper): what reading content costs (1.0 = nothing). */
  transport_only_vs_e2ee: number;
  /** The relay in key-escrow: every envelope carries an access field and is kept after delivery. */
  key_escrow_msgs_per_s: number;
  key_escrow_p50_ms: number;
  key_escrow_p99_ms: number;
  key_escrow_cpu_us_per_msg: number | null;
  /** Median of the per-round ratios key-escrow / e2ee: what keeping every ciphertext for the escrow costs the relay (1.0 = nothing). */
  key_escrow_vs_e2ee: number;
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

/** CPU seconds a process has used so far (all threads, user and system), or null without /proc. */
function cpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
/** USER_HZ: /proc counts CPU time in these ticks on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** What each send carries: a body (from a pool, taken in turn), the mode it claims, and (key-escrow) an access field for each body. */
interface EnvelopeSource {
  readonly bodies: readonly string[];
  readonly mode?: 'transport-only' | 'key-escrow';
  readonly access?: readonly string[];
}

/** ~300 random bytes with the ratchet's first byte, as an e2ee envelope looks to the relay. */
function e2eeEnvelopes(): EnvelopeSource {
  const payload = new Uint8Array(ENVELOPE_BYTES);
  crypto.getRandomValues(payload);
  payload[0] = 0x01;
  return { bodies: [toBase64Url(payload)] };
}

/** Distinct bodies sealed to the transport key: sealing is the clients' cost, so the load generator seals a pool once. */
const TRANSPORT_POOL = 256;
/** Text long enough that the sealed envelope is ~300 bytes, as the e2ee one (payload padded to 256, plus 48 for the seal). */
const TRANSPORT_TEXT = 'meet by the north gate after school; bring the notes from Tuesday and the map. '.repeat(2).slice(0, 150);

async function transportEnvelopes(url: string): Promise<EnvelopeSource> {
  await cryptoReady();
  const { json } = await getJson(`${url}/api/policy`);
  const key = fromBase64Url(json.transportKey, 'transportKey', 32);
  const bodies = Array.from({ length: TRANSPORT_POOL }, (_, i) => {
    const message = utf8Encode(JSON.stringify({ v: 1, kind: 'text', text: `${i} ${TRANSPORT_TEXT}`, sentAt: Date.now(), fk: toBase64Url(crypto.getRandomValues(new Uint8Array(32))) }));
    return toBase64Url(sealToServer(key, encodeTransportPayload({ certificate: null, message })));
  });
  return { bodies, mode: 'transport-only' };
}

/** Access fields as a compliant client builds them (sealed to the server's escrow key): building is the clients' cost, so a pool is built once. */
const ESCROW_POOL = 256;

async function escrowEnvelopes(url: string): Promise<EnvelopeSource> {
  await cryptoReady();
  const { json } = await getJson(`${url}/api/policy`);
  const escrowKey = fromBase64Url(json.escrow.publicKey, 'escrow.publicKey', 32);
  const { bodies } = e2eeEnvelopes();
  // What the ratchet discloses for one message (ratchet.ts): the relay checks only the field's shape.
  const header = new Uint8Array(41);
  header[0] = 1;
  const access = Array.from({ length: ESCROW_POOL }, () => {
    const disclosure = { messageKey: crypto.getRandomValues(new Uint8Array(32)), sessionAssociatedData: crypto.getRandomValues(new Uint8Array(64)), header, ciphertextOffset: 42 };
    return toBase64Url(buildAccessField(escrowKey, json.escrow.checkBits, disclosure));
  });
  return { bodies, mode: 'key-escrow', access };
}

/** Drives `clients` authenticated sockets for `seconds`; `tokens[i]` authenticates client i as `names[i]`; `pid` is the server's. */
async function runLoad(url: string, names: string[], tokens: string[], seconds: number, pid: number, envelopes: EnvelopeSource): Promise<LoadResult> {
  const sockets = await Promise.all(names.map(() => openSocket(url)));
  const sentAt = new Map<string, number>();
  const confirmed = new Set<string>();
  const delivered = new Set<string>();
  const latencies: number[] = [];
  let measuring = false;
  let stopping = false;
  let deliveredInWindow = 0;
  let serial = 0;
  // Ids are unique across runs: the relay rightly confirms a repeated (recipient, id) as a
  // resend without storing it again, and such a "duplicate" would never arrive.
  const run = toBase64Url(crypto.getRandomValues(new Uint8Array(6)));
  const { bodies, mode, access } = envelopes;
  // Every text message carries a franking commitment the relay stamps (reports.ts): the benchmark pays for it too.
  const commitment = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));

  const sendOne = (i: number) => {
    if (stopping) return;
    let to = Math.floor(Math.random() * (names.length - 1));
    if (to >= i) to++;
    const id = `${run}${i}x${serial++}`;
    sentAt.set(id, performance.now());
    const body = bodies[serial % bodies.length];
    const field = access?.[serial % access.length];
    sockets[i]!.send(JSON.stringify({ type: 'send', id, to: names[to], toDevice: 1, body, commitment, ...(mode ? { mode } : {}), ...(field ? { access: field } : {}) }));
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
  const cpuAtStart = cpuSeconds(pid);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpuAtEnd = cpuSeconds(pid);
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
    server_cpu_us_per_msg:
      cpuAtStart === null || cpuAtEnd === null || deliveredInWindow === 0 ? null : Math.round(((cpuAtEnd - cpuAtStart) * 1e7) / deliveredInWindow) / 10,
  };
}

interface LoadTarget {
  readonly pid: number;
  readonly url: string;
  readonly names: string[];
  readonly tokens: string[];
  readonly envelopes: EnvelopeSource;
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
  return { pid: child.pid!, url, names, tokens: names, envelopes: e2eeEnvelopes(), stop: async () => void child.kill('SIGKILL') };
}

async function startRelay(signals: 'on' | 'off', mode: 'e2ee' | 'transport-only' | 'key-escrow' = 'e2ee'): Promise<LoadTarget> {
  // Rate limits are for people; the benchmark measures capacity, so they are raised.
  const server = await startProcess(
    tempDataDir(),
    { SEND_RATE_PER_SECOND: '100000', SIGN_INS_PER_MINUTE: '100000', SIGNALS: signals, POLICY_MODE: mode },
    serverNodeArgs(),
  );
  const names = Array.from({ length: RELAY_CLIENTS }, (_, i) => `client-${i}`);
  const tokens: string[] = [];
  for (const name of names) tokens.push((await register(server.url, name, { oneTimePreKeys: 1 })).token);
  const envelopes =
    mode === 'transport-only' ? await transportEnvelopes(server.url)
    : mode === 'key-escrow' ? await escrowEnvelopes(server.url)
    : e2eeEnvelopes();
  return { pid: server.pid, url: server.url, names, tokens, envelopes, stop: () => server.kill('SIGTERM') };
}

/**
 * Pins every thread of the server under test to core 0 and every thread of this
 * load generator to core 1 (taskset), so each has the core the design gives it.
 * Unpinned, the scheduler mixes them: the server's own helper threads (V8's
 * parallel GC) then wait on the core the load generator holds, and round-to-
 * round spread grows. False (and nothing pinned) with fewer than two cores,
 * without taskset, or with BENCH_RELAY_PIN=off. (Cores are counted with
 * os.cpus(): availableParallelism() counts only those this process may use,
 * which is one once it is pinned.)
 */
function pinCores(serverPid: number): boolean {
  if (process.env.BENCH_RELAY_PIN === 'off' || os.cpus().length < 2) return false;
  const pin = (core: number, pid: number) => spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' }).status === 0;
  return pin(0, serverPid) && pin(1, process.pid);
}

/** Gives this process every core again (later sections are not pinned). */
function unpinSelf(): void {
  spawnSync('taskset', ['-a', '-p', '-c', `0-${os.cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
}

function serverNodeArgs(): string[] {
  return process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
}

function medianOf(results: LoadResult[], key: Exclude<keyof LoadResult, 'server_cpu_us_per_msg'>): number {
  return median(results.map((r) => r[key]));
}

function medianCpu(results: LoadResult[]): number | null {
  const known = results.flatMap((r) => (r.server_cpu_us_per_msg === null ? [] : [r.server_cpu_us_per_msg]));
  return known.length === results.length ? median(known) : null;
}

/** Median of the ratios of rounds run back to back: steadier on a noisy machine than a ratio of medians. */
function pairedRatio(over: LoadResult[], under: LoadResult[]): number {
  return Math.round(median(over.map((r, i) => r.delivered_msgs_per_s / under[i]!.delivered_msgs_per_s)) * 100) / 100;
}

/**
 * Rounds rotate (forwarder, relay, relay without live signals, relay in
 * transport-only, relay in key-escrow, forwarder, ...) so that a disturbance on
 * this shared machine hits all five; each figure is
 * the median of its rounds, each ratio the median of its rounds' ratios. `lost`
 * is the total over all relay rounds. The relay proper runs with its metadata
 * signals on, as `npm start` does; `signals_off_msgs_per_s` is the same relay
 * with SIGNALS=off, for their cost.
 */
export async function benchRelay(): Promise<RelaySection> {
  const seconds = Number(process.env.BENCH_RELAY_SECONDS ?? DEFAULT_SECONDS);
  const rounds = Number(process.env.BENCH_RELAY_ROUNDS ?? DEFAULT_ROUNDS);
  const targets = {
    'bare forwarder': await startBaseline(),
    relay: await startRelay('on'),
    'relay with SIGNALS=off': await startRelay('off'),
    'relay in transport-only': await startRelay('on', 'transport-only'),
    'relay in key-escrow': await startRelay('on', 'key-escrow'),
  };
  const lists = (): Record<keyof typeof targets, LoadResult[]> => ({
    'bare forwarder': [],
    relay: [],
    'relay with SIGNALS=off': [],
    'relay in transport-only': [],
    'relay in key-escrow': [],
  });
  const results = lists();
  const warmUps = lists();
  const named = Object.entries(targets) as [keyof typeof targets, LoadTarget][];
  let pinned = true;
  try {
    for (const [name, target] of named) {
      process.stderr.write(`bench relay: warming up the ${name} (${FIRST_WARMUP_SECONDS} s, not counted)\n`);
      pinned = pinCores(target.pid) && pinned;
      warmUps[name].push(await runLoad(target.url, target.names, target.tokens, FIRST_WARMUP_SECONDS, target.pid, target.envelopes));
    }
    for (let round = 1; round <= rounds; round++) {
      for (const [name, target] of named) {
        process.stderr.write(`bench relay: round ${round}/${rounds}: ${name}, ${RELAY_CLIENTS} clients, ${seconds} s\n`);
        pinned = pinCores(target.pid) && pinned;
        results[name].push(await runLoad(target.url, target.names, target.tokens, seconds, target.pid, target.envelopes));
      }
    }
  } finally {
    for (const target of Object.values(targets)) await target.stop();
    unpinSelf();
  }
  const {
    'bare forwarder': baseline,
    relay,
    'relay with SIGNALS=off': signalsOff,
    'relay in transport-only': transportOnly,
    'relay in key-escrow': keyEscrow,
  } = results;
  const relayRuns = [
    ...relay,
    ...signalsOff,
    ...transportOnly,
    ...keyEscrow,
    ...warmUps.relay,
    ...warmUps['relay with SIGNALS=off'],
    ...warmUps['relay in transport-only'],
    ...warmUps['relay in key-escrow'],
  ];
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
    // Every relay run counts here, the warm-ups too: a message lost is lost whenever it was sent.
    lost: relayRuns.reduce((n, r) => n + r.lost, 0),
    confirmed: relayRuns.reduce((n, r) => n + r.confirmed, 0),
    server_cpu_us_per_msg: medianCpu(relay),
    baseline_cpu_us_per_msg: medianCpu(baseline),
    signals_off_cpu_us_per_msg: medianCpu(signalsOff),
    baseline_msgs_per_s: baselineRate,
    baseline_p50_ms: medianOf(baseline, 'p50_ms'),
    baseline_p99_ms: medianOf(baseline, 'p99_ms'),
    ratio_vs_baseline: pairedRatio(relay, baseline),
    signals_off_msgs_per_s: medianOf(signalsOff, 'delivered_msgs_per_s'),
    signals_on_vs_off: pairedRatio(relay, signalsOff),
    transport_only_msgs_per_s: medianOf(transportOnly, 'delivered_msgs_per_s'),
    transport_only_p50_ms: medianOf(transportOnly, 'p50_ms'),
    transport_only_p99_ms: medianOf(transportOnly, 'p99_ms'),
    transport_only_cpu_us_per_msg: medianCpu(transportOnly),
    transport_only_vs_e2ee: pairedRatio(transportOnly, relay),
    key_escrow_msgs_per_s: medianOf(keyEscrow, 'delivered_msgs_per_s'),
    key_escrow_p50_ms: medianOf(keyEscrow, 'p50_ms'),
    key_escrow_p99_ms: medianOf(keyEscrow, 'p99_ms'),
    key_escrow_cpu_us_per_msg: medianCpu(keyEscrow),
    key_escrow_vs_e2ee: pairedRatio(keyEscrow, relay),
    rounds_msgs_per_s: {
      relay: relay.map((r) => r.delivered_msgs_per_s),
      relay_signals_off: signalsOff.map((r) => r.delivered_msgs_per_s),
      transport_only: transportOnly.map((r) => r.delivered_msgs_per_s),
      key_escrow: keyEscrow.map((r) => r.delivered_msgs_per_s),
      baseline: baseline.map((r) => r.delivered_msgs_per_s),
    },
    rounds_cpu_us_per_msg: {
      relay: relay.map((r) => r.server_cpu_us_per_msg),
      relay_signals_off: signalsOff.map((r) => r.server_cpu_us_per_msg),
      transport_only: transportOnly.map((r) => r.server_cpu_us_per_msg),
      key_escrow: keyEscrow.map((r) => r.server_cpu_us_per_msg),
      baseline: baseline.map((r) => r.server_cpu_us_per_msg),
    },
    pinned_cores: pinned,
  };
}
