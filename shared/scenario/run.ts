/**
 * Runs the scenario: day by day, the generated traffic becomes metadata-log rows in time order
 * (sealed where Envelope would seal it, numbered as the server numbers them) and goes through the
 * server's own SignalsService and detectors; reports go through its report path. Only a day (and
 * what runs past its midnight) is held at once; the detectors keep their own bounded state.
 */
import { createDetectors, SignalsService, type SignalsSource } from '@envelope/server/domain/signals/service.js';
import type { Detector, MetadataEvent } from '@envelope/server/domain/signals/detector.js';
import type { ReportRecord } from '@envelope/server/storage/reports-repo.js';
import { resolveParameters, type ScenarioParameters } from './parameters.js';
import { ContentModel } from './content.js';
import { makePlans } from './plans.js';
import { accountName, buildPopulation, DAY_MS, HARMS, RUN_START_MS, type Harm, type Population } from './population.js';
import { scoreRun, type Detections, type RunFacts, type ScenarioResult } from './scoring.js';
import { TrafficGenerator, type GeneratedEvent } from './traffic.js';

/** What a report reveals in this simulation: the scenario writes no message text. */
export const SYNTHETIC_TEXT = '(scenario: no text is generated)';

/** Envelope sizes (bytes), measured in the product (README, "Verifiable reports and sealed sender"). No detector reads them. */
const SIZE_PADDED_SEALED = 1724;
const SIZE_UNPADDED_SEALED = 400;
const SIZE_SESSION_START = 1565;
const SIZE_MESSAGE = 400;

export interface RunOptions {
  /** Called after each simulated day (for a progress line and memory sampling). */
  readonly onDay?: (day: number, days: number) => void;
  /** The detectors to run: the server's own by default (a test passes a spy around them). */
  readonly makeDetectors?: () => Detector[];
  /** Sees the run's raw facts (who each method flagged, and when) before scoring: for tests. */
  readonly onFacts?: (facts: RunFacts, kindOf: (id: number) => string) => void;
  /**
   * For the live run (client/cli/scenario-live.ts), which replays this run through the real relay: the
   * population once it is built (sign-up times included), each envelope as generated beside the row this
   * run fed the detectors, and each report as filed. Called in the order of the run.
   */
  readonly onPopulation?: (pop: Population) => void;
  readonly onEnvelope?: (event: GeneratedEvent, row: MetadataEvent) => void;
  readonly onReport?: (report: ReportRecord) => void;
}

interface PendingReport {
  readonly record: Omit<ReportRecord, 'id'>;
  readonly senderId: number;
  readonly ofHarmfulMessage: boolean;
}

export function runScenario(overrides: Partial<ScenarioParameters> = {}, options: RunOptions = {}): ScenarioResult {
  const p = resolveParameters(overrides);
  const pop = buildPopulation(p);
  const plans = makePlans(pop, p);
  for (const [id, at] of plans.signUp) pop.createdAt[id] = at;
  options.onPopulation?.(pop);
  const traffic = new TrafficGenerator(pop, plans, p);

  const idOf = (name: string): number => Number.parseInt(name.slice(1), 10);
  const source: SignalsSource = {
    allAccounts: () => [],
    account: (username) => {
      const id = idOf(username);
      return Number.isInteger(id) && id >= 0 && id < pop.size ? { createdAt: pop.createdAt[id]!, ageBand: pop.band[id]! } : undefined;
    },
    logInSeqOrder: () => [],
    reportsInOrder: () => [],
  };
  const service = new SignalsService(source, options.makeDetectors ?? createDetectors);

  /** For each account that uses sealed sender: who has written to it (Envelope seals only to them). */
  const wroteTo = new Map<number, Set<number>>();
  const talked = new Set<number>();
  const harmStart = new Map<number, number>();
  const contacted = Object.fromEntries(HARMS.map((h) => [h, new Set<number>()])) as Record<Harm, Set<number>>;
  const content = new ContentModel(pop, p);
  /** Accounts methods 1 or 2 have flagged, and when: what targeted access (method 5) may read. */
  const suspects = new Map<number, number>();
  const detections: Detections = { detectors: new Map(), anyReport: new Map() };
  let pending: GeneratedEvent[] = [];
  let reports: PendingReport[] = [];
  let seq = 0;
  let reportId = 0;
  let sealedCount = 0;
  let reportsOfSealed = 0;
  let reportsFiled = 0;

  for (let day = 0; day < p.days; day++) {
    const dayEnd = RUN_START_MS + (day + 1) * DAY_MS;
    const all = pending.concat(traffic.day(day));
    all.sort((a, b) => a.at - b.at || a.order - b.order);
    pending = [];
    content.startDay(day);
    for (const g of all) {
      if (g.at >= dayEnd) {
        if (day + 1 < p.days) pending.push(g);
        continue;
      }
      // As the product: an account that has not signed up yet can neither send nor be written to (the
      // relay refuses UNKNOWN_RECIPIENT). The generator's viral forward goes to every contact, and a
      // contact may be a joiner who signs up later; the live run found those (client/cli/scenario-live.ts).
      if (pop.createdAt[g.to]! > g.at || pop.createdAt[g.from]! > g.at) continue;
      seq++;
      const sealed = pop.sealed[g.from] === 1 && wroteTo.get(g.from)?.has(g.to) === true;
      const pair = g.from < g.to ? g.from * pop.size + g.to : g.to * pop.size + g.from;
      const first = !talked.has(pair);
      if (first) talked.add(pair);
      if (pop.sealed[g.to] === 1) {
        let set = wroteTo.get(g.to);
        if (!set) wroteTo.set(g.to, (set = new Set()));
        set.add(g.from);
      }
      if (sealed) sealedCount++;
      const event: MetadataEvent = {
        seq,
        messageId: `m${seq}`,
        sender: sealed ? null : accountName(g.from),
        senderDevice: sealed ? null : 1,
        recipient: accountName(g.to),
        recipientDevice: 1,
        sentAt: g.at,
        size: sealed ? (p.padding ? SIZE_PADDED_SEALED : first ? SIZE_SESSION_START : SIZE_UNPADDED_SEALED) : first ? SIZE_SESSION_START : SIZE_MESSAGE,
        kind: sealed ? 'sealed' : first ? 'session-start' : 'message',
        receipt: false,
      };
      service.observe(event);
      options.onEnvelope?.(g, event);
      const { harmful } = content.observe(g, dayEnd, suspects);
      const kind = pop.kind[g.from]!;
      if ((HARMS as readonly string[]).includes(kind)) {
        if (!harmStart.has(g.from)) harmStart.set(g.from, g.at);
        contacted[kind as Harm].add(g.to);
      }
      if (g.report) {
        if (sealed) reportsOfSealed++;
        // In whole milliseconds, as the server's clock stamps a filed report (the delay is drawn as a fraction of days).
        const reportedAt = g.at + Math.floor(g.report.delayMs);
        // The reporter's app knows the sender; the server can check it only when the envelope named it.
        reports.push({
          senderId: g.from,
          ofHarmfulMessage: harmful,
          record: { messageId: event.messageId, sender: accountName(g.from), senderVerified: !sealed, reporter: accountName(g.to), reason: g.report.reason, sentAt: g.at, reportedAt, text: SYNTHETIC_TEXT, logSeq: seq },
        });
      }
    }
    reports.sort((a, b) => a.record.reportedAt - b.record.reportedAt || (a.record.logSeq ?? 0) - (b.record.logSeq ?? 0));
    const due = reports.filter((r) => r.record.reportedAt < dayEnd);
    reports = reports.filter((r) => r.record.reportedAt >= dayEnd);
    for (const r of due) {
      const filed = { id: ++reportId, ...r.record };
      service.observeReport(filed);
      options.onReport?.(filed);
      reportsFiled++;
      content.reportFiled(r.ofHarmfulMessage);
      if (!detections.anyReport.has(r.senderId)) detections.anyReport.set(r.senderId, dayEnd);
    }
    for (const report of service.snapshot(Number.POSITIVE_INFINITY).detectors) {
      let seen = detections.detectors.get(report.id);
      if (!seen) detections.detectors.set(report.id, (seen = { title: report.title, first: new Map() }));
      for (const f of report.flagged) {
        const id = idOf(f.account);
        if (!seen.first.has(id)) seen.first.set(id, dayEnd);
        if (!suspects.has(id)) suspects.set(id, dayEnd);
      }
    }
    for (const id of detections.anyReport.keys()) if (!suspects.has(id)) suspects.set(id, dayEnd);
    options.onDay?.(day + 1, p.days);
  }

  const facts: RunFacts = {
    detections,
    harmStart,
    contacted: Object.fromEntries(HARMS.map((h) => [h, contacted[h].size])) as Record<Harm, number>,
    envelopes: seq,
    sealed: sealedCount,
    reportsFiled,
    reportsOfSealed,
    content: content.facts(),
  };
  options.onFacts?.(facts, (id) => pop.kind[id]!);
  return scoreRun(p, pop, facts);
}
