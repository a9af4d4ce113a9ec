/**
 * The scenario's live run (`npm run scenario -- --live`, docs/scenario.md "The live run"): the
 * same population and traffic as the fast path, for the same seed, sent end to end through the real
 * product. A real server (the real app on a SQLite file in a temporary DATA_DIR) and one real
 * client-core client per account: PQXDH session starts, Double Ratchet messages, sealed sender with
 * the server's delivery credential for the accounts that use it, delivery receipts, franked reports.
 *
 * One simulated clock drives the server and every client, so each envelope reaches the relay at the
 * time the generator gave it, and each account signs up at its own time. The runner follows the
 * fast path's timeline (runScenario's hooks) step by step: it takes from it who writes to whom and
 * when, who signs up when, and who reports which message when; never whether a message is sealed
 * (each client decides that by itself, as the product does). At the end of each simulated day it
 * reads the server's signals and its report queue, as the operator page does, and scores them with
 * the fast path's own scoring (scenario-live-check.ts compares the two).
 *
 * Sequential on purpose: each message is sent, stored and decrypted by its recipient before the next
 * one leaves, so who can seal to whom is settled as in the fast path, on every machine (delivery
 * receipts travel meanwhile; each day ends once all of them are confirmed). A live run is a
 * proof, not a way to scale: MAX_LIVE_USERS and MAX_LIVE_DAYS bound it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { EnvelopeClient, MemoryStore } from '@envelope/client-core';
import { MAX_FLAGGED_ACCOUNTS, type AGE_BANDS, type MessageId } from '@envelope/protocol';
import {
  accountName,
  DAY_MS,
  resolveParameters,
  RUN_START_MS,
  runScenario,
  ScenarioError,
  scoreRun,
  SYNTHETIC_TEXT,
  type Detections,
  type GeneratedEvent,
  type Population,
  type RunFacts,
  type ScenarioParameters,
  type ScenarioResult,
} from '@envelope/scenario';
import { createEnvelopeServer } from '@envelope/server/app.js';
import type { MetadataEvent } from '@envelope/server/domain/signals/detector.js';
import type { ReportRecord } from '@envelope/server/storage/reports-repo.js';
import { liveConfig, readAccounts, readDay, ReceiptCount, SimulatedClock, STEP_PATIENCE_MS, waitForEvent } from './scenario-live-wire.js';

/**
 * The operator's signals list at most MAX_FLAGGED_ACCOUNTS (200) accounts per detector: past that
 * many accounts the live side could not see every flag the fast path scores, and the comparison
 * would not be whole. (Each account is also a real client with its own keys and connection.)
 */
export const MAX_LIVE_USERS = MAX_FLAGGED_ACCOUNTS;
/** About 3,700 envelopes per day at 200 accounts, each sent and decrypted in turn: a week is already minutes. */
export const MAX_LIVE_DAYS = 7;

export interface LiveProgress {
  readonly signedUp: number;
  readonly accounts: number;
  readonly sent: number;
  readonly envelopes: number;
  readonly day: number;
  readonly days: number;
}

export interface LiveEnvelopeCheck {
  /** Generated envelopes, and how many the live clients sent. */
  readonly generated: number;
  readonly sent: number;
  /** Delivery receipts the senders' clients confirmed (one per envelope sent; unsealed ones are marked and no detector sees them, sealed ones are unattributable). */
  readonly receiptsConfirmed: number;
  /** Sent sealed by the live client, and by the fast path's model. */
  readonly sealedLive: number;
  readonly sealedFastPath: number;
  /** Envelopes sealed on one side and not the other, and stored at another time than generated (the first few of each). */
  readonly sealedDiffer: readonly { readonly seq: number; readonly from: string; readonly to: string; readonly live: boolean }[];
  readonly timeDiffer: readonly { readonly seq: number; readonly generatedAt: number; readonly storedAt: number }[];
  readonly sealedDifferCount: number;
  readonly timeDifferCount: number;
}

/** The accounts the server holds (the operator's list) beside the population: signed up at the generated time, with the declared band. */
export interface LiveAccountCheck {
  readonly signedUp: number;
  readonly onServer: number;
  readonly createdAtDiffer: readonly string[];
  readonly ageBandDiffer: readonly string[];
}

export interface LiveRun {
  readonly parameters: ScenarioParameters;
  /** The fast path's result for the same parameters, and the live run's, scored the same way. */
  readonly fastPath: ScenarioResult;
  readonly live: ScenarioResult;
  readonly fastFacts: RunFacts;
  readonly liveDetections: Detections;
  readonly envelopes: LiveEnvelopeCheck;
  readonly accounts: LiveAccountCheck;
  /** Reports the live clients filed, and the server's count of them. */
  readonly reportsFiled: number;
  readonly kindOf: (id: number) => string;
}

/** The fast path's run, as the live run replays it. */
interface Recorded {
  pop: Population;
  envelopes: { g: GeneratedEvent; row: MetadataEvent }[];
  reports: ReportRecord[];
  facts: RunFacts;
  kindOf: (id: number) => string;
  result: ScenarioResult;
}

function recordFastPath(overrides: Partial<ScenarioParameters>): Recorded {
  const recorded: Partial<Recorded> & Pick<Recorded, 'envelopes' | 'reports'> = { envelopes: [], reports: [] };
  recorded.result = runScenario(overrides, {
    onPopulation: (pop) => (recorded.pop = pop),
    onEnvelope: (g, row) => recorded.envelopes.push({ g, row }),
    onReport: (report) => recorded.reports.push(report),
    onFacts: (facts, kindOf) => {
      recorded.facts = facts;
      recorded.kindOf = kindOf;
    },
  });
  return recorded as Recorded;
}

/** Checks the live run's bounds (ScenarioError BAD_PARAMETER, the CLI's usage error). */
export function checkLiveParameters(overrides: Partial<ScenarioParameters>): ScenarioParameters {
  const p = resolveParameters(overrides);
  if (p.users > MAX_LIVE_USERS) {
    throw new ScenarioError(
      'BAD_PARAMETER',
      `--live runs at most ${MAX_LIVE_USERS} users, not ${p.users}: the operator's signals list at most ${MAX_FLAGGED_ACCOUNTS} accounts per detector, so a larger live run could not be compared in full (and each account is a real client with its own keys)`,
    );
  }
  if (p.days > MAX_LIVE_DAYS) {
    throw new ScenarioError('BAD_PARAMETER', `--live runs at most ${MAX_LIVE_DAYS} days, not ${p.days}: every envelope makes a real round trip in turn, so a longer live run takes too long to be a check`);
  }
  return p;
}

type Step =
  | { readonly at: number; readonly rank: 0; readonly kind: 'day-end'; readonly day: number }
  | { readonly at: number; readonly rank: 1; readonly kind: 'sign-up'; readonly id: number }
  | { readonly at: number; readonly rank: 2; readonly kind: 'send'; readonly index: number }
  | { readonly at: number; readonly rank: 3; readonly kind: 'report'; readonly report: ReportRecord };

/** Everything the live run does, in time order: a day ends before what happens at its midnight; an account exists before it writes; a message is sent before it is reported. */
function timeline(p: ScenarioParameters, recorded: Recorded): Step[] {
  const steps: Step[] = [];
  const runEnd = RUN_START_MS + p.days * DAY_MS;
  // An account that signs up after the run (a ring account whose operator starts later) sends nothing in it.
  for (let id = 0; id < recorded.pop.size; id++) if (recorded.pop.createdAt[id]! < runEnd) steps.push({ at: recorded.pop.createdAt[id]!, rank: 1, kind: 'sign-up', id });
  recorded.envelopes.forEach(({ g }, index) => steps.push({ at: g.at, rank: 2, kind: 'send', index }));
  for (const report of recorded.reports) steps.push({ at: report.reportedAt, rank: 3, kind: 'report', report });
  for (let day = 0; day < p.days; day++) steps.push({ at: RUN_START_MS + (day + 1) * DAY_MS, rank: 0, kind: 'day-end', day });
  // Stable: sends keep the fast path's order (its seq), reports the order it filed them in.
  return steps.sort((a, b) => a.at - b.at || a.rank - b.rank);
}

export interface LiveOptions {
  readonly onProgress?: (progress: LiveProgress) => void;
  /** Where the server keeps its SQLite file: a fresh temporary directory (removed afterwards) by default. */
  readonly dataDir?: string;
}

export async function runLiveScenario(overrides: Partial<ScenarioParameters>, options: LiveOptions = {}): Promise<LiveRun> {
  const p = checkLiveParameters(overrides);
  const recorded = recordFastPath(overrides);
  const { pop } = recorded;
  const steps = timeline(p, recorded);
  const clock = new SimulatedClock(steps.reduce((earliest, s) => Math.min(earliest, s.at), Number.POSITIVE_INFINITY));
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'envelope-live-')));
  const server = await createEnvelopeServer(liveConfig(dataDir), () => {}, { networkInterfaces: () => ({}), clock: clock.now });
  const clients: (EnvelopeClient | undefined)[] = [];
  try {
    const url = await server.listen();
    const operator = { authorization: `Bearer ${server.operatorToken}` };
    const envelopeIds: MessageId[] = [];
    const detections: Detections = { detectors: new Map(), anyReport: new Map() };
    const check = { sealedLive: 0, sealedFastPath: 0, sealedDiffer: [] as LiveEnvelopeCheck['sealedDiffer'][number][], timeDiffer: [] as LiveEnvelopeCheck['timeDiffer'][number][], sealedDifferCount: 0, timeDifferCount: 0 };
    const progress = { signedUp: 0, accounts: steps.filter((s) => s.kind === 'sign-up').length, sent: 0, envelopes: recorded.envelopes.length, day: 0, days: p.days };
    let lastProgress = -1;
    const tell = (force = false) => {
      const done = progress.signedUp + progress.sent;
      if (!force && done - lastProgress < 50) return;
      lastProgress = done;
      options.onProgress?.({ ...progress });
    };
    const receipts = new ReceiptCount();
    /** What any client reported going wrong in the background (a refill, a receipt, a frame): the run stops on it. */
    const problems: string[] = [];
    const clientOf = (id: number, role: string): EnvelopeClient => {
      const client = clients[id];
      if (!client) throw new Error(`live run: ${accountName(id)} (${role}) has not signed up yet at ${new Date(clock.now()).toISOString()}`);
      return client;
    };

    for (const step of steps) {
      clock.advance(step.at);
      if (step.kind === 'sign-up') {
        const client = await EnvelopeClient.open({ serverUrl: url, store: new MemoryStore(), WebSocket, now: clock.now });
        clients[step.id] = client;
        receipts.watch(client);
        client.events.on('error', (error) => problems.push(`${accountName(step.id)}'s client: ${error.code}: ${error.message}`));
        await client.register(accountName(step.id), { ageBand: pop.band[step.id] as (typeof AGE_BANDS)[number] });
        if (pop.sealed[step.id] === 1) await client.setSealedSender(true);
        const ready = client.whenReady(STEP_PATIENCE_MS);
        client.connect();
        await ready;
        progress.signedUp++;
        tell();
      } else if (step.kind === 'send') {
        const { g, row } = recorded.envelopes[step.index]!;
        const sender = clientOf(g.from, 'sender');
        const recipient = clientOf(g.to, 'recipient');
        const from = accountName(g.from);
        // Registered before sending: one message is in flight at a time, so the next one to arrive is this one.
        // The next message leaves once this one is decrypted (so its sender's profile key is known, as the fast
        // path assumes); its delivery receipt travels meanwhile, and every receipt is awaited at the day's end.
        const received = waitForEvent(recipient, 'message', (entry) => entry.from === from, `arrival at ${accountName(g.to)} of envelope ${row.seq}`);
        try {
          const pending = await sender.enqueue(accountName(g.to), SYNTHETIC_TEXT);
          const stored = await pending.stored;
          const entry = await received.promise;
          envelopeIds[step.index] = entry.id;
          if (pending.sealed) check.sealedLive++;
          if (row.sender === null) check.sealedFastPath++;
          if (pending.sealed !== (row.sender === null) && check.sealedDifferCount++ < 20) check.sealedDiffer.push({ seq: row.seq, from, to: accountName(g.to), live: pending.sealed });
          if (stored.storedAt !== g.at && check.timeDifferCount++ < 20) check.timeDiffer.push({ seq: row.seq, generatedAt: g.at, storedAt: stored.storedAt });
        } finally {
          received.cancel();
        }
        progress.sent++;
        tell();
      } else if (step.kind === 'report') {
        const index = (step.report.logSeq ?? 0) - 1;
        const id = envelopeIds[index];
        if (id === undefined) throw new Error(`live run: report of envelope ${step.report.logSeq}, which was not delivered`);
        await clientOf(recorded.envelopes[index]!.g.to, 'reporter').report(id, step.report.reason);
      } else {
        await receipts.reach(progress.sent);
        await readDay(url, operator, RUN_START_MS + (step.day + 1) * DAY_MS, detections);
        progress.day = step.day + 1;
        tell(true);
      }
      if (problems.length > 0) throw new Error(`live run: ${problems.join('; ')}`);
    }

    const onServer = await readAccounts(url, operator);
    const idOf = (name: string): number => Number.parseInt(name.slice(1), 10);
    const accounts: LiveAccountCheck = {
      signedUp: progress.signedUp,
      onServer: onServer.length,
      createdAtDiffer: onServer.filter((a) => a.createdAt !== pop.createdAt[idOf(a.username)]).map((a) => a.username),
      ageBandDiffer: onServer.filter((a) => a.ageBand !== pop.band[idOf(a.username)]).map((a) => a.username),
    };
    const live = scoreRun(p, pop, { ...recorded.facts, detections });
    return {
      parameters: p,
      fastPath: recorded.result,
      live,
      fastFacts: recorded.facts,
      liveDetections: detections,
      envelopes: { generated: recorded.envelopes.length, sent: progress.sent, receiptsConfirmed: receipts.confirmed, ...check },
      accounts,
      reportsFiled: recorded.reports.length,
      kindOf: recorded.kindOf,
    };
  } finally {
    await Promise.all(clients.map((client) => client?.close()));
    await server.close();
    if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
  }
}
