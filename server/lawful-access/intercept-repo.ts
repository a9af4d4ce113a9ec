/**
 * The lawful-intercept console's tables (migration 8): intercept_warrants,
 * intercept_queue (the agency's own copy of a target's messages, which stays
 * when the content log's retention deletes the original) and intercept_audit.
 * The console's routes never issue SQL: this file does.
 */
import type Database from 'better-sqlite3';
import type { ContentRow } from './content-log.js';

export interface WarrantRecord {
  readonly id: number;
  readonly target: string;
  /** null: added without a warrant (the insider demonstration). */
  readonly reference: string | null;
  readonly requestedBy: string;
  readonly createdAt: number;
  readonly endedAt: number | null;
  /** Messages copied under it so far. */
  readonly copied: number;
}

export interface QueueRecord {
  readonly queueId: number;
  readonly seq: number;
  readonly messageId: string;
  readonly sender: string | null;
  readonly recipient: string;
  readonly storedAt: number;
  readonly text: string | null;
  readonly copiedAt: number;
}

export interface AuditRecord {
  readonly seq: number;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly detail: string;
}

interface WarrantRow {
  id: number;
  target: string;
  reference: string | null;
  requested_by: string;
  created_at: number;
  ended_at: number | null;
  copied: number;
}

interface QueueRow {
  id: number;
  content_seq: number;
  message_id: string;
  sender: string | null;
  recipient: string;
  stored_at: number;
  text: string | null;
  copied_at: number;
}

const WARRANT_COLUMNS =
  'w.id, w.target, w.reference, w.requested_by, w.created_at, w.ended_at, (SELECT count(*) FROM intercept_queue q WHERE q.warrant_id = w.id) AS copied';

const toWarrant = (row: WarrantRow): WarrantRecord => ({
  id: row.id,
  target: row.target,
  reference: row.reference,
  requestedBy: row.requested_by,
  createdAt: row.created_at,
  endedAt: row.ended_at,
  copied: row.copied,
});

const toQueued = (row: QueueRow): QueueRecord => ({
  queueId: row.id,
  seq: row.content_seq,
  messageId: row.message_id,
  sender: row.sender,
  recipient: row.recipient,
  storedAt: row.stored_at,
  text: row.text,
  copiedAt: row.copied_at,
});

export function interceptRepo(db: Database.Database) {
  const insertWarrant = db.prepare<[string, string | null, string, number]>(
    'INSERT INTO intercept_warrants (target, reference, requested_by, created_at) VALUES (?, ?, ?, ?)',
  );
  const selectWarrant = db.prepare<[number], WarrantRow>(`SELECT ${WARRANT_COLUMNS} FROM intercept_warrants w WHERE w.id = ?`);
  const selectWarrants = db.prepare<[number], WarrantRow>(`SELECT ${WARRANT_COLUMNS} FROM intercept_warrants w ORDER BY w.id DESC LIMIT ?`);
  const selectActive = db.prepare<[], { id: number; target: string }>('SELECT id, target FROM intercept_warrants WHERE ended_at IS NULL');
  const endWarrant = db.prepare<[number, number]>('UPDATE intercept_warrants SET ended_at = ? WHERE id = ? AND ended_at IS NULL');
  // OR IGNORE: one copy of a message per warrant (UNIQUE (warrant_id, content_seq)), even one the target sent to itself.
  const insertCopy = db.prepare<[number, number, string, string | null, string, number, string | null, number]>(
    `INSERT OR IGNORE INTO intercept_queue (warrant_id, content_seq, message_id, sender, recipient, stored_at, text, copied_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectQueue = db.prepare<[number, number, number], QueueRow>(
    `SELECT id, content_seq, message_id, sender, recipient, stored_at, text, copied_at
     FROM intercept_queue WHERE warrant_id = ? AND id > ? ORDER BY id LIMIT ?`,
  );
  const countQueue = db.prepare<[number], number>('SELECT count(*) FROM intercept_queue WHERE warrant_id = ?').pluck();
  const countRetained = db
    .prepare<[string, string], number>('SELECT count(*) FROM content_log WHERE sender = ? OR recipient = ?')
    .pluck();
  const insertAudit = db.prepare<[number, string, string, string | null, string]>(
    'INSERT INTO intercept_audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)',
  );
  const deleteAudit = db.prepare<[number]>('DELETE FROM intercept_audit WHERE seq = ?');
  const selectAudit = db.prepare<[number], AuditRecord>('SELECT seq, at, actor, action, target, detail FROM intercept_audit ORDER BY seq DESC LIMIT ?');
  const countAudit = db.prepare<[], number>('SELECT count(*) FROM intercept_audit').pluck();

  return {
    transaction<T>(work: () => T): T {
      return db.transaction(work)();
    },
    openWarrant(target: string, reference: string | null, requestedBy: string, at: number): WarrantRecord {
      const id = Number(insertWarrant.run(target, reference, requestedBy, at).lastInsertRowid);
      return toWarrant(selectWarrant.get(id)!);
    },
    warrant(id: number): WarrantRecord | undefined {
      const row = selectWarrant.get(id);
      return row && toWarrant(row);
    },
    /** Newest first. */
    warrants(limit: number): WarrantRecord[] {
      return selectWarrants.all(limit).map(toWarrant);
    },
    activeWarrants(): { id: number; target: string }[] {
      return selectActive.all();
    },
    /** False if it had already ended. */
    endWarrant(id: number, at: number): boolean {
      return endWarrant.run(at, id).changes === 1;
    },
    copy(warrantId: number, row: ContentRow, at: number): void {
      insertCopy.run(warrantId, row.seq, row.messageId, row.sender, row.recipient, row.storedAt, row.text, at);
    },
    /** Oldest first, rows after queue row `after`. */
    queue(warrantId: number, after: number, limit: number): QueueRecord[] {
      return selectQueue.all(warrantId, after, limit).map(toQueued);
    },
    queueTotal(warrantId: number): number {
      return countQueue.get(warrantId)!;
    },
    retainedTotal(username: string): number {
      return countRetained.get(username, username)!;
    },
    audit(at: number, actor: string, action: string, target: string | null, detail: string): number {
      return Number(insertAudit.run(at, actor, action, target, detail).lastInsertRowid);
    },
    deleteAudit(seq: number): boolean {
      return deleteAudit.run(seq).changes === 1;
    },
    /** Newest first. */
    auditLines(limit: number): AuditRecord[] {
      return selectAudit.all(limit);
    },
    auditTotal(): number {
      return countAudit.get()!;
    },
  };
}

export type InterceptRepo = ReturnType<typeof interceptRepo>;
