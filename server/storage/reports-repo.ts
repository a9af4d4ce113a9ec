/**
 * Filed user reports (migration 3): the only message text the server holds,
 * each one revealed by its recipient and checked before it was filed
 * (domain/reports.ts). One unique index (reporter, message) makes filing
 * idempotent; reports are few, so the other reads scan. Never on the relay's path.
 */
import type { ReportReason } from '@envelope/protocol';
import type { Db } from './database.js';

export interface ReportRecord {
  readonly id: number;
  readonly messageId: string;
  readonly sender: string;
  readonly senderVerified: boolean;
  readonly reporter: string;
  readonly reason: ReportReason;
  readonly sentAt: number;
  readonly reportedAt: number;
  readonly text: string;
  /** The envelope's metadata-log row, found when the report was filed; null if the log no longer had it. */
  readonly logSeq: number | null;
}

export type NewReport = Omit<ReportRecord, 'id' | 'logSeq'>;

interface ReportRow {
  id: number;
  message_id: string;
  sender: string;
  sender_verified: number;
  reporter: string;
  reason: string;
  sent_at: number;
  reported_at: number;
  text: string;
  log_seq: number | null;
}

const COLUMNS = 'id, message_id, sender, sender_verified, reporter, reason, sent_at, reported_at, text, log_seq';

function toRecord(row: ReportRow): ReportRecord {
  return {
    id: row.id,
    messageId: row.message_id,
    sender: row.sender,
    senderVerified: row.sender_verified === 1,
    reporter: row.reporter,
    reason: row.reason as ReportReason,
    sentAt: row.sent_at,
    reportedAt: row.reported_at,
    text: row.text,
    logSeq: row.log_seq,
  };
}

export function reportsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO reports (message_id, sender, sender_verified, reporter, reason, sent_at, reported_at, text, log_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (reporter, message_id) DO NOTHING`,
  );
  // The log has no index by message id (mailbox-repo.ts says why): a scan, once per report, off the relay's path.
  const logSeqOf = db.prepare<[string, string, number], { seq: number }>(
    'SELECT seq FROM metadata_log WHERE message_id = ? AND recipient = ? AND sent_at = ? ORDER BY seq DESC LIMIT 1',
  );
  const byReporterAndMessage = db.prepare<[string, string], ReportRow>(`SELECT ${COLUMNS} FROM reports WHERE reporter = ? AND message_id = ?`);
  const newest = db.prepare<[number], ReportRow>(`SELECT ${COLUMNS} FROM reports ORDER BY id DESC LIMIT ?`);
  const newestAbout = db.prepare<[string, number, number], ReportRow>(
    `SELECT ${COLUMNS} FROM reports WHERE sender = ? AND sender_verified = ? ORDER BY id DESC LIMIT ?`,
  );
  const inIdOrder = db.prepare<[], ReportRow>(`SELECT ${COLUMNS} FROM reports ORDER BY id`);
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM reports');
  const countAbout = db.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM reports WHERE sender = ? AND sender_verified = ?');

  return {
    /** Files a report; if this reporter already reported this message, returns that one with `filed: false`. */
    file(report: NewReport): { record: ReportRecord; filed: boolean } {
      const existing = byReporterAndMessage.get(report.reporter, report.messageId);
      if (existing) return { record: toRecord(existing), filed: false };
      const logSeq = logSeqOf.get(report.messageId, report.reporter, report.sentAt)?.seq ?? null;
      const result = insert.run(
        report.messageId,
        report.sender,
        report.senderVerified ? 1 : 0,
        report.reporter,
        report.reason,
        report.sentAt,
        report.reportedAt,
        report.text,
        logSeq,
      );
      const row = byReporterAndMessage.get(report.reporter, report.messageId)!;
      return { record: toRecord(row), filed: result.changes > 0 };
    },
    newest(limit: number): { total: number; reports: ReportRecord[] } {
      return { total: countAll.get()!.n, reports: newest.all(limit).map(toRecord) };
    },
    /**
     * Reports naming `sender`, newest first: those whose sender the server
     * verified (its own stamp names them), or, with `senderVerified: false`,
     * those of sealed messages where only the reporter names them.
     */
    about(sender: string, senderVerified: boolean, limit: number): { total: number; reports: ReportRecord[] } {
      const verified = senderVerified ? 1 : 0;
      return { total: countAbout.get(sender, verified)!.n, reports: newestAbout.all(sender, verified, limit).map(toRecord) };
    },
    /** Every report, oldest first: the signals' rescan. */
    all(): ReportRecord[] {
      return inIdOrder.all().map(toRecord);
    },
  };
}

export type ReportsRepo = ReturnType<typeof reportsRepo>;
