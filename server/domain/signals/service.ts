/**
 * Runs every metadata detector: incrementally on each envelope the relay
 * commits (its observer hook, after the commit, off the sender's wait), and
 * over the whole log on demand and at start-up (`rescan`), so signals survive
 * a restart. Both paths feed the same detectors the same rows in seq order, so
 * they agree.
 */
import type { CommittedEnvelope, RelayObserver } from '../relay-types.js';
import { AGE_BAND_FULL_SCORE_MINORS, AGE_BAND_THRESHOLD, CrossAgeBandDetector } from './age-bands.js';
import { ContactBook } from './contacts.js';
import { SEALED_ID, type AccountInfo, type AgeBand, type Detector, type MetadataEvent, type ServiceDetectorReport } from './detector.js';
import { FanOutDetector } from './fan-out.js';
import { NewAccountVolumeDetector } from './new-account-volume.js';
import { OneWayDetector } from './one-way.js';
import { STRANGER_THRESHOLD, STRANGER_WINDOW_MS, StrangerContactsDetector } from './stranger-contacts.js';
import { UserReportsDetector } from './user-reports.js';
import type { ReportRecord } from '../../storage/reports-repo.js';

/** Every detector, fresh, with its defaults; the two that ask about first contacts share one contact book. */
export function createDetectors(): Detector[] {
  const contacts = new ContactBook();
  return [
    new StrangerContactsDetector(STRANGER_WINDOW_MS, STRANGER_THRESHOLD, contacts),
    new CrossAgeBandDetector(AGE_BAND_THRESHOLD, AGE_BAND_FULL_SCORE_MINORS, contacts),
    new FanOutDetector(),
    new OneWayDetector(),
    new NewAccountVolumeDetector(),
    new UserReportsDetector(),
  ];
}

export interface SignalsSource {
  /** Every account, as stored (read before a scan: the connection is busy during one). */
  allAccounts(): readonly { username: string; createdAt: number; ageBand: string | null }[];
  /** One account, for accounts created since the last load. */
  account(username: string): { createdAt: number; ageBand: string | null } | undefined;
  /** The metadata log, oldest first. */
  logInSeqOrder(): Iterable<MetadataEvent>;
  /** Every filed user report, oldest first. */
  reportsInOrder(): Iterable<ReportRecord>;
}

export interface SignalsSnapshot {
  /** The highest seq the detectors have seen (0 before any). */
  readonly throughSeq: number;
  readonly detectors: ServiceDetectorReport[];
}

const toInfo = (record: { createdAt: number; ageBand: string | null }): AccountInfo => ({
  createdAt: record.createdAt,
  ageBand: record.ageBand as AgeBand | null, // validated against AGE_BANDS at sign-up
});

export class SignalsService {
  private detectors: Detector[] = [];
  /** Dense ids per account name (see EventAccounts), and each id's record once known. */
  private ids = new Map<string, number>();
  private infos: (AccountInfo | undefined)[] = [];
  /** Each sender's last envelope, by id: copies of one message to a recipient's other devices count once. */
  private lastRecipient: number[] = [];
  private lastMessageId: (string | undefined)[] = [];
  /** Reused for every envelope (detectors do not keep it): no allocation per envelope. */
  private readonly current = { senderId: SEALED_ID, recipientId: 0, sender: undefined as AccountInfo | undefined, recipient: undefined as AccountInfo | undefined };
  private throughSeq = 0;
  /** Envelopes marked as receipts, kept from the detectors. */
  private receipts = 0;
  private scanning = false;

  constructor(
    private readonly source: SignalsSource,
    private readonly makeDetectors: () => Detector[] = createDetectors,
  ) {
    this.detectors = makeDetectors();
  }

  /** The relay observer: every committed envelope, as its metadata-log row. */
  readonly observer: RelayObserver = {
    committed: (envelopes: readonly CommittedEnvelope[]) => {
      for (const { seq, envelope: e } of envelopes) {
        this.observe({
          seq,
          messageId: e.messageId,
          sender: e.sender,
          senderDevice: e.senderDevice,
          recipient: e.recipient,
          recipientDevice: e.recipientDevice,
          sentAt: e.storedAt,
          size: e.size,
          kind: e.kind,
          receipt: e.receipt,
        });
      }
    },
    // No `delivered`: no detector looks at deliveries yet, and saying so spares the relay building the list per ack.
  };

  /**
   * Feeds one row to every detector. A receipt its sender marked as one is not
   * conversation (an unanswered message is still unanswered when the
   * recipient's app confirms it), so no detector sees it; it is counted apart.
   * Sealed receipts carry no mark and reach the detectors as unattributable.
   */
  observe(event: MetadataEvent): void {
    if (event.seq <= this.throughSeq) return; // already seen (a rescan overlapping the live feed)
    this.throughSeq = event.seq;
    if (event.receipt) {
      this.receipts++;
      return;
    }
    const current = this.current;
    const recipientId = this.idOf(event.recipient);
    current.recipientId = recipientId;
    current.recipient = this.infoOf(recipientId, event.recipient);
    if (event.sender === null) {
      current.senderId = SEALED_ID;
      current.sender = undefined;
    } else {
      const senderId = this.idOf(event.sender);
      if (senderId === recipientId) return; // a copy to the sender's own other devices: no contact
      if (this.lastRecipient[senderId] === recipientId && this.lastMessageId[senderId] === event.messageId) return;
      this.lastRecipient[senderId] = recipientId;
      this.lastMessageId[senderId] = event.messageId;
      current.senderId = senderId;
      current.sender = this.infoOf(senderId, event.sender);
    }
    for (const detector of this.detectors) detector.observe(event, current);
  }

  /** A newly filed user report (ReportService.onFiled), for the detectors that read reports. */
  observeReport(report: ReportRecord): void {
    for (const detector of this.detectors) detector.observeReport?.(report);
  }

  /** Forgets everything and runs fresh detectors over the whole log. */
  rescan(): void {
    this.detectors = this.makeDetectors();
    this.ids = new Map();
    this.infos = [];
    this.lastRecipient = [];
    this.lastMessageId = [];
    this.throughSeq = 0;
    this.receipts = 0;
    for (const a of this.source.allAccounts()) this.infos[this.idOf(a.username)] = toInfo(a);
    this.scanning = true;
    try {
      for (const event of this.source.logInSeqOrder()) this.observe(event);
      for (const report of this.source.reportsInOrder()) this.observeReport(report);
    } finally {
      this.scanning = false;
    }
  }

  /** `limit`: flagged accounts per detector at most (the wire's bound by default; see Detector.report). */
  snapshot(limit?: number): SignalsSnapshot {
    const detectors = this.detectors.map((d) => {
      const report = d.report(limit);
      return { ...report, receipts: report.unit === 'report' ? 0 : this.receipts };
    });
    return { throughSeq: this.throughSeq, detectors };
  }

  private idOf(username: string): number {
    let id = this.ids.get(username);
    if (id === undefined) this.ids.set(username, (id = this.ids.size));
    return id;
  }

  private infoOf(id: number, username: string): AccountInfo | undefined {
    let info = this.infos[id];
    if (info === undefined && !this.scanning) {
      // An account created since the last load (the connection is free outside a scan).
      const record = this.source.account(username);
      if (record) this.infos[id] = info = toInfo(record);
    }
    return info;
  }
}
