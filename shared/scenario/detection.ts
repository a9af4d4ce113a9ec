/**
 * The half of a run that waits for nothing but the traffic: each DayBatch (feed.ts) becomes the
 * server's metadata-log rows, in seq order, through the server's own SignalsService and detectors;
 * the day's reports go through its report path. The detectors are read at the end of each day:
 * whom they flagged (and the reports) is the suspicion targeted access (method 5) may act on.
 */
import { createDetectors, SignalsService, type SignalsSource } from '@envelope/server/domain/signals/service.js';
import type { Detector, MetadataEvent } from '@envelope/server/domain/signals/detector.js';
import type { ScenarioParameters } from './parameters.js';
import { TargetedAccess, type ContentFacts } from './content.js';
import { ROW_CONTENT_SHIFT, ROW_FIRST, ROW_SEALED, type DayBatch } from './feed.js';
import { accountName, type Population } from './population.js';
import type { Detections } from './scoring.js';
import type { GeneratedEvent } from './traffic.js';
import type { ReportRecord } from '@envelope/server/storage/reports-repo.js';

/** Envelope sizes (bytes), measured in the product (README, "Verifiable reports and sealed sender"). No detector reads them. */
const SIZE_PADDED_SEALED = 1724;
const SIZE_UNPADDED_SEALED = 400;
const SIZE_SESSION_START = 1565;
const SIZE_MESSAGE = 400;

export interface DetectionFacts {
  readonly detections: Detections;
  readonly targeted: ContentFacts['targeted'];
}

/** What the live run replays (run.ts, RunOptions): each envelope as generated beside its row, each report as filed. */
export interface DetectionHooks {
  readonly onEnvelope?: (event: GeneratedEvent, row: MetadataEvent) => void;
  readonly onReport?: (report: ReportRecord) => void;
}

export class Detection {
  private readonly service: SignalsService;
  private readonly targeted = new TargetedAccess();
  /** Accounts methods 1 or 2 have flagged, and when: what targeted access (method 5) may read. */
  private readonly suspects = new Map<number, number>();
  private readonly detections: Detections = { detectors: new Map(), anyReport: new Map() };
  /** Account names, made once each: the server sees names, and a name per envelope was a string built per envelope. */
  private readonly names: (string | undefined)[] = [];

  constructor(
    pop: Population,
    private readonly p: ScenarioParameters,
    makeDetectors: () => Detector[] = createDetectors,
    private readonly hooks: DetectionHooks = {},
  ) {
    const source: SignalsSource = {
      allAccounts: () => [],
      account: (username) => {
        const id = idOf(username);
        return Number.isInteger(id) && id >= 0 && id < pop.size ? { createdAt: pop.createdAt[id]!, ageBand: pop.band[id]! } : undefined;
      },
      logInSeqOrder: () => [],
      reportsInOrder: () => [],
    };
    this.service = new SignalsService(source, makeDetectors);
  }

  /** One day's batch (days in order), then the detectors' reading at its end. */
  day(batch: DayBatch): void {
    const { service, targeted, suspects, p, hooks } = this;
    if (hooks.onEnvelope && !batch.generated) throw new Error('Detection: onEnvelope needs a feed that keeps the generated events');
    const { from, to, at, flags, dayEnd } = batch;
    for (let i = 0; i < batch.length; i++) {
      const seq = batch.seqBefore + 1 + i;
      const f = from[i]!;
      const r = to[i]!;
      const bits = flags[i]!;
      const sealed = (bits & ROW_SEALED) !== 0;
      const first = (bits & ROW_FIRST) !== 0;
      const event: MetadataEvent = {
        seq,
        messageId: `m${seq}`,
        sender: sealed ? null : this.name(f),
        senderDevice: sealed ? null : 1,
        recipient: this.name(r),
        recipientDevice: 1,
        sentAt: at[i]!,
        size: sealed ? (p.padding ? SIZE_PADDED_SEALED : first ? SIZE_SESSION_START : SIZE_UNPADDED_SEALED) : first ? SIZE_SESSION_START : SIZE_MESSAGE,
        kind: sealed ? 'sealed' : first ? 'session-start' : 'message',
        receipt: false,
      };
      service.observe(event);
      if (hooks.onEnvelope) hooks.onEnvelope(batch.generated![i]!, event);
      targeted.observe(f, r, at[i]!, bits >>> ROW_CONTENT_SHIFT, dayEnd, suspects);
    }
    const { detections } = this;
    for (const r of batch.reports) {
      service.observeReport(r.record);
      hooks.onReport?.(r.record);
      if (!detections.anyReport.has(r.senderId)) detections.anyReport.set(r.senderId, dayEnd);
    }
    for (const report of service.snapshot(Number.POSITIVE_INFINITY).detectors) {
      let seen = detections.detectors.get(report.id);
      if (!seen) detections.detectors.set(report.id, (seen = { title: report.title, first: new Map() }));
      for (const flagged of report.flagged) {
        const id = idOf(flagged.account);
        if (!seen.first.has(id)) seen.first.set(id, dayEnd);
        if (!suspects.has(id)) suspects.set(id, dayEnd);
      }
    }
    for (const id of detections.anyReport.keys()) if (!suspects.has(id)) suspects.set(id, dayEnd);
  }

  facts(): DetectionFacts {
    return { detections: this.detections, targeted: this.targeted.facts() };
  }

  private name(id: number): string {
    return (this.names[id] ??= accountName(id));
  }
}

const idOf = (name: string): number => Number.parseInt(name.slice(1), 10);
