/**
 * The `signals` benchmark section: every metadata detector over a log of one
 * million envelopes, generated in memory from a fixed seed (so each run sees
 * the same traffic), timed as a full rescan (fresh detectors, every row, then
 * the report). Then the same log written to a real SQLite file and rescanned
 * through storage/metadata-scan.ts, as the server does at start-up.
 *
 * The population: accounts in friend circles (most traffic, with replies), a
 * few spammers (fan-out), adults writing to declared minors, new accounts
 * sending a lot, and sealed-sender envelopes the detectors cannot attribute.
 */
import { rmSync } from 'node:fs';
import { SignalsService, type SignalsSource } from '@envelope/server/domain/signals/service.js';
import type { AccountInfo, MetadataEvent } from '@envelope/server/domain/signals/detector.js';
import { openDatabase } from '@envelope/server/storage/database.js';
import { metadataScan } from '@envelope/server/storage/metadata-scan.js';
import { tempDataDir } from '@envelope/testkit/harness.js';
import { median } from './measure.js';
import { RELAY_CLIENTS } from './relay.js';

const ENVELOPES = 1_000_000;
const ACCOUNTS = 50_000;
/** Friends per circle: most people write to a handful of close contacts. */
const CIRCLE = 12;
/** Accounts per harmful archetype. */
const ARCHETYPE = 20;
/** Envelopes in one spam burst, sent back to back. */
const BURST = 60;
const SEALED_SHARE = 0.05;
const ROUNDS = 5;
const SEED = 0x5eed;
const RELAY_LIKE_ENVELOPES = 500_000;

export interface SignalsSection {
  envelopes: number;
  accounts: number;
  /** Median of ROUNDS full rescans over the in-memory log: all detectors, then the report. */
  full_scan_ms: number;
  envelopes_per_s: number;
  /** One full rescan read from a SQLite file through metadata-scan (the start-up path). */
  sqlite_scan_ms: number | null;
  /** Accounts each detector flags in all (the planted archetypes are 20 accounts each). */
  flagged: Record<string, number>;
  /** Detector time per envelope (µs) on the relay benchmark's traffic (RELAY_CLIENTS accounts, random peers). */
  relay_like_us_per_envelope: number;
  unattributable: number;
  rounds: number;
}

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function generate(): { events: MetadataEvent[]; accounts: Map<string, AccountInfo> } {
  const random = prng(SEED);
  const int = (n: number) => Math.floor(random() * n);
  const names = Array.from({ length: ACCOUNTS }, (_, i) => `u${i}`);
  const start = 86_400_000;
  const accounts = new Map<string, AccountInfo>();
  const bands = ['under-13', '13-15', '16-17', 'adult', 'adult', 'adult', null] as const;
  // Friends are mostly of an age: a circle shares one band, one member in ten declares another (a parent, a coach).
  let circleBand: (typeof bands)[number] = null;
  names.forEach((name, i) => {
    if (i % CIRCLE === 0) circleBand = bands[int(bands.length)]!;
    accounts.set(name, { createdAt: 0, ageBand: random() < 0.1 ? bands[int(bands.length)]! : circleBand });
  });
  // The archetypes, on the first accounts: new heavy senders, adults writing to strangers, stalkers, spammers.
  const role = (offset: number, count: number) => names.slice(offset, offset + count);
  const newHeavy = role(0, ARCHETYPE);
  const groomers = role(ARCHETYPE, ARCHETYPE);
  const stalkers = role(2 * ARCHETYPE, ARCHETYPE);
  const spammers = role(3 * ARCHETYPE, ARCHETYPE);
  for (const name of newHeavy) accounts.set(name, { createdAt: start, ageBand: null });
  for (const name of groomers) accounts.set(name, { createdAt: 0, ageBand: 'adult' });
  const events: MetadataEvent[] = [];
  let t = start;
  let burst = 0;
  let burster = '';
  while (events.length < ENVELOPES) {
    const seq = events.length + 1;
    t += int(100); // ~20 envelopes a second: a million over about 14 hours
    let sender: string | null;
    let recipient: string;
    const pick = random();
    if (burst > 0 || pick < 0.000_05) {
      if (burst === 0) [burst, burster] = [BURST, spammers[int(ARCHETYPE)]!];
      burst--;
      sender = burster;
      recipient = names[int(ACCOUNTS)]!;
    } else if (pick < 0.001) {
      sender = groomers[int(ARCHETYPE)]!;
      recipient = names[int(ACCOUNTS)]!;
    } else if (pick < 0.002) {
      const i = int(ARCHETYPE);
      sender = stalkers[i]!;
      recipient = names[ACCOUNTS - 1 - i]!; // never writes back: its circle is elsewhere
    } else if (pick < 0.007) {
      sender = newHeavy[int(ARCHETYPE)]!;
      recipient = names[int(ACCOUNTS)]!;
    } else {
      const from = int(ACCOUNTS);
      const circle = from - (from % CIRCLE);
      sender = random() < SEALED_SHARE ? null : names[from]!;
      recipient = names[Math.min(ACCOUNTS - 1, circle + int(CIRCLE))]!;
    }
    if (sender === recipient) continue; // drawn again: nobody writes to themselves
    events.push({
      seq,
      messageId: `m${seq.toString(36).padStart(8, '0')}`,
      sender,
      senderDevice: sender === null ? null : 1,
      recipient,
      recipientDevice: 1,
      sentAt: t,
      size: 256 * (1 + int(4)),
      kind: 'message',
      receipt: false,
    });
  }
  return { events, accounts };
}

function sourceOver(events: Iterable<MetadataEvent> | (() => Iterable<MetadataEvent>), accounts: Map<string, AccountInfo>): SignalsSource {
  return {
    allAccounts: () => [...accounts].map(([username, a]) => ({ username, ...a })),
    account: (username) => accounts.get(username),
    logInSeqOrder: typeof events === 'function' ? events : () => events,
    reportsInOrder: () => [],
  };
}

function timedScan(service: SignalsService): { ms: number; snapshot: ReturnType<SignalsService['snapshot']> } {
  const start = performance.now();
  service.rescan();
  const snapshot = service.snapshot();
  return { ms: performance.now() - start, snapshot };
}

/** The same log in a real database file, written in one transaction, to time the start-up rescan. */
function sqliteScan(events: readonly MetadataEvent[], accounts: Map<string, AccountInfo>): number {
  const dir = tempDataDir();
  const db = openDatabase(dir);
  try {
    // Bench fixture: rows written directly (no mailbox bodies), as the relay's commit writes the log.
    const insert = db.prepare(
      'INSERT INTO metadata_log (seq, message_id, sender, sender_device, recipient, recipient_device, sent_at, size, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (const e of events) insert.run(e.seq, e.messageId, e.sender, e.senderDevice, e.recipient, e.recipientDevice, e.sentAt, e.size, e.kind);
    })();
    const scan = metadataScan(db);
    const service = new SignalsService(sourceOver(() => scan.inSeqOrder(), accounts));
    return Math.round(timedScan(service).ms);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The relay benchmark's traffic (RELAY_CLIENTS accounts writing to random
 * peers), fed to the detectors as the relay's observer is: the detectors' cost
 * per envelope on the relay's hot path, to set against the relay's own.
 */
function relayLikeMicrosPerEnvelope(): number {
  const random = prng(SEED + 1);
  const names = Array.from({ length: RELAY_CLIENTS }, (_, i) => `client${i}`);
  const accounts = new Map<string, AccountInfo>(names.map((n) => [n, { createdAt: 0, ageBand: null }]));
  const events: MetadataEvent[] = [];
  for (let seq = 1; seq <= RELAY_LIKE_ENVELOPES; seq++) {
    const from = Math.floor(random() * RELAY_CLIENTS);
    const to = (from + 1 + Math.floor(random() * (RELAY_CLIENTS - 1))) % RELAY_CLIENTS;
    events.push({ seq, messageId: `r${seq.toString(36).padStart(8, '0')}`, sender: names[from]!, senderDevice: 1, recipient: names[to]!, recipientDevice: 1, sentAt: seq, size: 300, kind: 'message', receipt: false });
  }
  const times: number[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const service = new SignalsService(sourceOver([], accounts));
    service.rescan(); // loads the accounts; the log is empty
    const start = performance.now();
    for (const event of events) service.observe(event);
    if (r > 0) times.push(performance.now() - start); // round 0 warms up
  }
  return Math.round((median(times) * 1000 * 100) / RELAY_LIKE_ENVELOPES) / 100;
}

export async function benchSignals(): Promise<SignalsSection> {
  const { events, accounts } = generate();
  const service = new SignalsService(sourceOver(events, accounts));
  timedScan(service); // warm-up
  const times: number[] = [];
  let last: ReturnType<SignalsService['snapshot']> | undefined;
  for (let r = 0; r < ROUNDS; r++) {
    const { ms, snapshot } = timedScan(service);
    times.push(ms);
    last = snapshot;
  }
  const fullScanMs = Math.round(median(times));
  let sqliteMs: number | null = null;
  if (process.env.BENCH_SIGNALS_SQLITE !== '0') sqliteMs = sqliteScan(events, accounts);
  return {
    envelopes: events.length,
    accounts: ACCOUNTS,
    full_scan_ms: fullScanMs,
    envelopes_per_s: Math.round((ENVELOPES * 1000) / fullScanMs),
    sqlite_scan_ms: sqliteMs,
    flagged: Object.fromEntries(last!.detectors.map((d) => [d.id, d.flaggedTotal])),
    unattributable: last!.detectors[0]!.unattributable,
    relay_like_us_per_envelope: relayLikeMicrosPerEnvelope(),
    rounds: ROUNDS,
  };
}
