/**
 * escrow_retained (migration 9): every key-escrow envelope's ciphertext and
 * access field, kept after delivery for the metadata log's retention, or the
 * escrow would have nothing to open. Written by the relay inside its commit
 * transaction (the EscrowRetention port, server/domain/escrow-retention.ts);
 * purged by housekeeping: a purged row is gone, and no key opens it any more.
 *
 * Also writes the agency's audit lines for escrow access into intercept_audit
 * (migration 8), the same log the intercept console keeps.
 */
import type Database from 'better-sqlite3';

/** One retained envelope as stored. */
export interface RetainedRow {
  readonly seq: number;
  readonly messageId: string;
  readonly sender: string | null;
  readonly recipient: string;
  readonly storedAt: number;
  readonly body: Uint8Array;
  readonly access: Uint8Array;
}

/** As the relay hands it over: bytes as base64url. */
export interface RetainedEnvelopeIn {
  readonly seq: number;
  readonly messageId: string;
  readonly sender: string | null;
  readonly recipient: string;
  readonly storedAt: number;
  readonly body: string;
  readonly access: string;
}

interface Row {
  seq: number;
  message_id: string;
  sender: string | null;
  recipient: string;
  stored_at: number;
  body: Buffer;
  access: Buffer;
}

const COLUMNS = 'seq, message_id, sender, recipient, stored_at, body, access';

function toRow(r: Row): RetainedRow {
  return { seq: r.seq, messageId: r.message_id, sender: r.sender, recipient: r.recipient, storedAt: r.stored_at, body: r.body, access: r.access };
}

export function escrowRetained(db: Database.Database) {
  const insert = db.prepare<[number, string, string | null, string, number, Buffer, Buffer]>(
    `INSERT OR IGNORE INTO escrow_retained (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const byAccount = db.prepare<[string, string], Row>(
    `SELECT ${COLUMNS} FROM escrow_retained WHERE sender = ? UNION SELECT ${COLUMNS} FROM escrow_retained WHERE recipient = ? ORDER BY seq`,
  );
  const all = db.prepare<[], Row>(`SELECT ${COLUMNS} FROM escrow_retained ORDER BY seq`);
  const count = db.prepare<[], number>('SELECT count(*) FROM escrow_retained').pluck();
  // Exposure counts messages, as the content log's does: the server cannot read a kept envelope,
  // but its sender marked each delivery receipt as one (key escrow sends signed in), and the
  // metadata log keeps that mark for as long as this table keeps the envelope.
  const MESSAGES_ONLY = 'FROM escrow_retained r LEFT JOIN metadata_log m ON m.seq = r.seq WHERE coalesce(m.receipt, 0) = 0';
  const countMessages = db.prepare<[], number>(`SELECT count(*) ${MESSAGES_ONLY}`).pluck();
  const countPeople = db
    .prepare<[], number>(`SELECT count(*) FROM (SELECT r.sender AS name ${MESSAGES_ONLY} AND r.sender IS NOT NULL UNION SELECT r.recipient ${MESSAGES_ONLY})`)
    .pluck();
  /** Asked on every sign-in (the announcement's exposure): kept until a row is added or purged. */
  let counted: { messages: number; people: number } | undefined;
  const purge = db.prepare<[number]>('DELETE FROM escrow_retained WHERE stored_at < ?');
  const audit = db.prepare<[number, string, string, string | null, string]>(
    'INSERT INTO intercept_audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)',
  );

  return {
    /** Keeps what the relay committed (inside its transaction); a repeat of a seq is ignored. */
    retain(rows: readonly RetainedEnvelopeIn[]): void {
      counted = undefined;
      for (const r of rows) insert.run(r.seq, r.messageId, r.sender, r.recipient, r.storedAt, Buffer.from(r.body, 'base64url'), Buffer.from(r.access, 'base64url'));
    },
    /** Every retained envelope to or from `username`, oldest first. */
    forAccount(username: string): RetainedRow[] {
      return byAccount.all(username, username).map(toRow);
    },
    /** Every retained envelope, oldest first (one at a time: the leak demonstration walks them all). */
    *all(): Generator<RetainedRow> {
      for (const row of all.iterate()) yield toRow(row);
    },
    count(): number {
      return count.get()!;
    },
    /** Messages kept and the distinct people (senders and recipients) they involve. */
    counts(): { messages: number; people: number } {
      return (counted ??= { messages: countMessages.get()!, people: countPeople.get()! });
    },
    /**
     * Deletes rows stored before `olderThan` (housekeeping, with the metadata
     * log's retention), so that they are really gone: SQLite's secure_delete
     * zeroes the freed space for this statement, and the WAL, which still holds
     * the old pages, is checkpointed and truncated. Otherwise the ciphertexts
     * and access fields would stay on disk, and a leaked escrow key would open them.
     */
    purgeBefore(olderThan: number): number {
      db.pragma('secure_delete = ON');
      let deleted: number;
      counted = undefined;
      try {
        deleted = purge.run(olderThan).changes;
      } finally {
        db.pragma('secure_delete = OFF');
      }
      if (deleted > 0) db.pragma('wal_checkpoint(TRUNCATE)');
      return deleted;
    },
    /** An audit line (intercept_audit, migration 8); returns its seq. */
    audit(at: number, actor: string, action: string, target: string | null, detail: string): number {
      return Number(audit.run(at, actor, action, target, detail).lastInsertRowid);
    },
  };
}

export type EscrowRetained = ReturnType<typeof escrowRetained>;
