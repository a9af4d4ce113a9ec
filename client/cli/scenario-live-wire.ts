/**
 * The live run's plumbing (scenario-live.ts): the one simulated clock, the server's configuration
 * for the run, waiting for a client's events, counting delivery receipts, and reading the server's
 * signals and report queue as the operator page reads them.
 */
import type { ClientEvents, EnvelopeClient } from '@envelope/client-core';
import { MAX_REPORT_QUEUE, OperatorAccountsResponseSchema, ReportQueueSchema, SignalsResponseSchema } from '@envelope/protocol';
import type { Detections } from '@envelope/scenario';
import { loadConfig, type ServerConfig } from '@envelope/server/config.js';

/** How long one step (a sign-up, a message's round trip, a report) may take before the run calls it lost: a bound on a hang only. */
export const STEP_PATIENCE_MS = 120_000;

/** The one clock of the run: the server and every client read it; the runner moves it forward, never back. */
export class SimulatedClock {
  #at: number;
  constructor(start: number) {
    this.#at = start;
  }
  readonly now = (): number => this.#at;
  advance(to: number): void {
    if (to > this.#at) this.#at = to;
  }
}

/** Generous limits: every client runs on this machine from one address, and the scenario's bursts are what it is there to see. */
const WIDE = { perSecond: 1_000_000_000, burst: 1_000_000_000 };

export function liveConfig(dataDir: string): ServerConfig {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
  return {
    ...config,
    relay: { ...config.relay, sendLimit: WIDE },
    bundleFetchLimits: { perAccount: WIDE, perAddress: WIDE, oneTimePerTarget: WIDE },
    signInLimit: WIDE,
    liveSignals: true,
    addresses: { stored: false, retentionDays: config.addresses.retentionDays },
  };
}

/** Resolves with the first `event` from `client` that `matches`; rejects on a send failure, or after STEP_PATIENCE_MS (a hang). */
export function waitForEvent<K extends keyof ClientEvents>(client: EnvelopeClient, event: K, matches: (payload: ClientEvents[K]) => boolean, what: string) {
  let cancel = () => {};
  const promise = new Promise<ClientEvents[K]>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`live run: no ${what} within ${STEP_PATIENCE_MS / 1000} s`)), STEP_PATIENCE_MS);
    const off = client.events.on(event, (payload) => {
      if (matches(payload)) finish(undefined, payload);
    });
    const offFailed = client.events.on('send-failed', (failure) => finish(new Error(`live run: ${what}: the server refused an envelope (${failure.error.code}: ${failure.error.message})`)));
    const finish = (error: Error | undefined, value?: ClientEvents[K]) => {
      clearTimeout(timer);
      off();
      offFailed();
      if (error) reject(error);
      else if (value !== undefined) resolve(value);
    };
    cancel = () => finish(undefined);
  });
  // A step that failed earlier leaves this one unawaited: its end must not be an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, cancel };
}

/** Delivery receipts the senders' clients have confirmed, and a wait for a count of them (an event, not a time). */
export class ReceiptCount {
  #confirmed = 0;
  #waiters: { count: number; resolve: () => void }[] = [];
  get confirmed(): number {
    return this.#confirmed;
  }
  watch(client: EnvelopeClient): void {
    client.events.on('delivered', () => {
      this.#confirmed++;
      this.#waiters = this.#waiters.filter((w) => (w.count <= this.#confirmed ? (w.resolve(), false) : true));
    });
  }
  async reach(count: number): Promise<void> {
    if (this.#confirmed >= count) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.#waiters.push({ count, resolve })),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`live run: ${count - this.#confirmed} delivery receipts still missing after ${STEP_PATIENCE_MS / 1000} s`)), STEP_PATIENCE_MS))),
    ]).finally(() => clearTimeout(timer));
  }
}


/**
 * At a day's end: the server's signals and its report queue, read as the operator page reads them
 * (GET /api/operator/signals and /api/operator/reports, with the operator's token), recorded as the
 * fast path records its own snapshot (the end of the day an account first appears).
 */
export async function readDay(url: string, headers: Record<string, string>, dayEnd: number, detections: Detections): Promise<void> {
  const signals = SignalsResponseSchema.parse(await (await fetch(`${url}/api/operator/signals`, { headers })).json());
  const idOf = (name: string): number => Number.parseInt(name.slice(1), 10);
  for (const report of signals.detectors) {
    if (report.flaggedTotal > report.flagged.length) throw new Error(`live run: ${report.id} flags ${report.flaggedTotal} accounts, more than the ${report.flagged.length} the operator sees`);
    let seen = detections.detectors.get(report.id);
    if (!seen) detections.detectors.set(report.id, (seen = { title: report.title, first: new Map() }));
    for (const f of report.flagged) if (!seen.first.has(idOf(f.account))) seen.first.set(idOf(f.account), dayEnd);
  }
  const queue = ReportQueueSchema.parse(await (await fetch(`${url}/api/operator/reports`, { headers })).json());
  if (queue.total > queue.reports.length) throw new Error(`live run: ${queue.total} reports filed, more than the ${MAX_REPORT_QUEUE} the operator's queue lists`);
  for (const report of queue.reports) if (!detections.anyReport.has(idOf(report.sender))) detections.anyReport.set(idOf(report.sender), dayEnd);
}

/** The accounts as the operator page lists them (GET /api/operator/accounts): name, creation time, declared age band. */
export async function readAccounts(url: string, headers: Record<string, string>): Promise<{ username: string; createdAt: number; ageBand: string | null }[]> {
  return OperatorAccountsResponseSchema.parse(await (await fetch(`${url}/api/operator/accounts`, { headers })).json()).accounts;
}
