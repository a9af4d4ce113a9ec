/**
 * The half of a run that does not wait for the detectors: each day's traffic, generated, put in
 * time order, numbered and sealed as the server would (seq; sealed only to someone who has written
 * to the sender), its content drawn (methods 3 and 4), and its reports scheduled. What it hands on
 * is a DayBatch: the metadata the server would see, as rows in typed arrays, and the reports filed
 * that day. The other half (detection.ts) feeds them to the server's detectors.
 *
 * Kept apart so a runner may put the two halves in different threads (the CLI does: one generates
 * day d+1 while the other detects on day d); run.ts runs both in one thread. Either way every
 * number is drawn in the same order, so the result is the same byte for byte.
 */
import type { ReportRecord } from '@envelope/server/storage/reports-repo.js';
import type { ScenarioParameters } from './parameters.js';
import { CONTENT_HARMFUL, ContentModel, type ContentModelFacts } from './content.js';
import { EventBuffer, generatedEvent, REPORT_REASONS } from './events.js';
import { makePlans } from './plans.js';
import { accountName, buildPopulation, DAY_MS, HARMS, RUN_START_MS, type Harm, type Population } from './population.js';
import { TrafficGenerator, type GeneratedEvent } from './traffic.js';

/** What the scenario writes in a report: it generates no message text. */
export const SYNTHETIC_TEXT = '(scenario: no text is generated)';

/** DayBatch.flags bits: sealed by sealed sender; the pair's first envelope; then ContentModel.observe's bits, shifted. */
export const ROW_SEALED = 1;
export const ROW_FIRST = 2;
export const ROW_CONTENT_SHIFT = 2;

/** A report filed today: what the server's report path receives, and who really sent the message. */
export interface FiledReport {
  readonly senderId: number;
  readonly record: ReportRecord;
}

/** One simulated day's envelopes in seq order (seq = seqBefore + 1 + row) and the reports filed that day. */
export interface DayBatch {
  readonly day: number;
  readonly dayEnd: number;
  readonly seqBefore: number;
  readonly length: number;
  /** Each array has a buffer of its own, so a runner can transfer it to another thread. */
  readonly from: Int32Array<ArrayBuffer>;
  readonly to: Int32Array<ArrayBuffer>;
  readonly at: Float64Array<ArrayBuffer>;
  readonly flags: Uint8Array<ArrayBuffer>;
  readonly reports: readonly FiledReport[];
  /** Each row as generated (only when the feed was asked to keep them: the live run replays them). */
  readonly generated?: readonly GeneratedEvent[];
}

export interface FeedFacts {
  /** Each harmful account's first envelope: when its harm started. */
  readonly harmStart: Map<number, number>;
  readonly contacted: Record<Harm, number>;
  readonly envelopes: number;
  readonly sealed: number;
  readonly reportsFiled: number;
  readonly reportsOfSealed: number;
  readonly content: ContentModelFacts;
}

interface PendingReport {
  readonly senderId: number;
  readonly ofHarmfulMessage: boolean;
  readonly record: Omit<ReportRecord, 'id'>;
}

/** The population and the plans, built from the seed: both halves build their own, and get the same. */
export function populationWithPlans(p: ScenarioParameters): { pop: Population; plans: ReturnType<typeof makePlans> } {
  const pop = buildPopulation(p);
  const plans = makePlans(pop, p);
  for (const [id, at] of plans.signUp) pop.createdAt[id] = at;
  return { pop, plans };
}

export class TrafficFeed {
  readonly pop: Population;
  private readonly traffic: TrafficGenerator;
  private readonly content: ContentModel;
  private readonly harmOf: Int8Array;
  /** Rows past today's midnight, in time order: tomorrow's first. */
  private pending = new EventBuffer();
  private work = new EventBuffer();
  private reports: PendingReport[] = [];
  /** For each account that uses sealed sender: who has written to it (Envelope seals only to them). */
  private readonly wroteTo = new Map<number, Set<number>>();
  private readonly talked = new Set<number>();
  private readonly harmStart = new Map<number, number>();
  private readonly contacted = HARMS.map(() => new Set<number>());
  private readonly names: (string | undefined)[] = [];
  private seq = 0;
  private reportId = 0;
  private sealedCount = 0;
  private reportsOfSealed = 0;
  private reportsFiled = 0;

  /** `keepGenerated`: each batch also carries its rows as GeneratedEvents (for a small run's hooks; costly at scale). */
  constructor(
    private readonly p: ScenarioParameters,
    private readonly keepGenerated = false,
  ) {
    const { pop, plans } = populationWithPlans(p);
    this.pop = pop;
    this.traffic = new TrafficGenerator(pop, plans, p);
    this.content = new ContentModel(pop, p);
    this.harmOf = new Int8Array(pop.size);
    for (let id = 0; id < pop.size; id++) this.harmOf[id] = (HARMS as readonly string[]).indexOf(pop.kind[id]!);
  }

  /** Day `day` (0-based; days in order, each once). */
  day(day: number): DayBatch {
    const { pop, p } = this;
    const dayStart = RUN_START_MS + day * DAY_MS;
    const dayEnd = dayStart + DAY_MS;
    const work = this.work;
    work.clear();
    for (let i = 0; i < this.pending.length; i++) work.copyRow(this.pending, i);
    this.pending.clear();
    this.traffic.day(day, work);
    const order = work.sortedByTime(dayStart);
    this.content.startDay(day);

    const n = order.length;
    const from = new Int32Array(n);
    const to = new Int32Array(n);
    const at = new Float64Array(n);
    const flags = new Uint8Array(n);
    const seqBefore = this.seq;
    const generated: GeneratedEvent[] | undefined = this.keepGenerated ? [] : undefined;
    let rows = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const t = work.at[i]!;
      if (t >= dayEnd) {
        if (day + 1 < p.days) this.pending.copyRow(work, i);
        continue;
      }
      const f = work.from[i]!;
      const r = work.to[i]!;
      // As the product: an account that has not signed up yet can neither send nor be written to (the
      // relay refuses UNKNOWN_RECIPIENT). The generator's viral forward goes to every contact, and a
      // contact may be a joiner who signs up later; the live run found those (client/cli/scenario-live.ts).
      if (pop.createdAt[r]! > t || pop.createdAt[f]! > t) continue;
      const seq = ++this.seq;
      const sealed = pop.sealed[f] === 1 && this.wroteTo.get(f)?.has(r) === true;
      const pair = f < r ? f * pop.size + r : r * pop.size + f;
      const first = !this.talked.has(pair);
      if (first) this.talked.add(pair);
      if (pop.sealed[r] === 1) {
        let set = this.wroteTo.get(r);
        if (!set) this.wroteTo.set(r, (set = new Set()));
        set.add(f);
      }
      if (sealed) this.sealedCount++;
      const content = this.content.observe(f, r, work.role[i]!, dayEnd);
      const harm = this.harmOf[f]!;
      if (harm >= 0) {
        if (!this.harmStart.has(f)) this.harmStart.set(f, t);
        this.contacted[harm]!.add(r);
      }
      const reason = REPORT_REASONS[work.reportReason[i]!];
      if (reason) {
        if (sealed) this.reportsOfSealed++;
        // The reporter's app knows the sender; the server can check it only when the envelope named it.
        this.reports.push({
          senderId: f,
          ofHarmfulMessage: (content & CONTENT_HARMFUL) !== 0,
          // reportedAt in whole milliseconds, as the server's clock stamps a filed report (the delay is drawn as a fraction of days).
          record: { messageId: `m${seq}`, sender: this.name(f), senderVerified: !sealed, reporter: this.name(r), reason, sentAt: t, reportedAt: t + Math.floor(work.reportDelay[i]!), text: SYNTHETIC_TEXT, logSeq: seq },
        });
      }
      generated?.push(generatedEvent(work, i));
      from[rows] = f;
      to[rows] = r;
      at[rows] = t;
      flags[rows] = (sealed ? ROW_SEALED : 0) | (first ? ROW_FIRST : 0) | (content << ROW_CONTENT_SHIFT);
      rows++;
    }

    this.reports.sort((a, b) => a.record.reportedAt - b.record.reportedAt || (a.record.logSeq ?? 0) - (b.record.logSeq ?? 0));
    const due = this.reports.filter((r) => r.record.reportedAt < dayEnd);
    this.reports = this.reports.filter((r) => r.record.reportedAt >= dayEnd);
    const filed: FiledReport[] = [];
    for (const r of due) {
      filed.push({ senderId: r.senderId, record: { id: ++this.reportId, ...r.record } });
      this.reportsFiled++;
      this.content.reportFiled(r.ofHarmfulMessage);
    }
    return { day, dayEnd, seqBefore, length: rows, from, to, at, flags, reports: filed, ...(generated ? { generated } : {}) };
  }

  facts(): FeedFacts {
    return {
      harmStart: this.harmStart,
      contacted: Object.fromEntries(HARMS.map((h, k) => [h, this.contacted[k]!.size])) as Record<Harm, number>,
      envelopes: this.seq,
      sealed: this.sealedCount,
      reportsFiled: this.reportsFiled,
      reportsOfSealed: this.reportsOfSealed,
      content: this.content.facts(),
    };
  }

  private name(id: number): string {
    return (this.names[id] ??= accountName(id));
  }
}
