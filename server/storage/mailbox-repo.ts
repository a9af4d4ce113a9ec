/**
 * The mailbox (envelopes waiting for their recipient) and the metadata log
 * (what the server records about every envelope), written together: one
 * transaction per relay turn stores new envelopes with their metadata and
 * deletes acknowledged ones, and only after it commits does the relay confirm.
 * (A storage thread was tried and measured slower on this 2-core machine: it
 * competes with the clients for the second core.)
 *
 * Both tables are keyed by an ever-increasing rowid (`seq`) and have no other
 * index; a mailbox row takes the seq of its metadata-log row (migration 2), so
 * an ack can stamp `delivered_at` on the log by rowid in the same transaction.
 * The log also keeps the SHA-256 of each ciphertext (hashing ~300 bytes costs
 * about a microsecond), so the X-ray can match bytes after the mailbox forgot them. Envelopes go to random recipients, so any index keyed by recipient or
 * message id would dirty a different page for nearly every envelope in a commit;
 * measured, that was most of the relay's cost. Reads that are not on the hot
 * path (a device's backlog, the operator's views) scan in seq order instead.
 */
import { hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { PolicyMode } from '@envelope/protocol';
import type { Db } from './database.js';
import { METADATA_COLUMNS } from './metadata-repo.js';

/** What the server can tell from an envelope's first byte (see shared/crypto/session.ts framing). */
export type EnvelopeKind = 'session-start' | 'message' | 'sealed' | 'unknown';

export interface NewEnvelope {
  readonly messageId: string;
  readonly sender: string | null;
  readonly senderDevice: number | null;
  readonly recipient: string;
  readonly recipientDevice: number;
  /** The ciphertext as the sender sent it, base64url: the relay forwards it, never reads it (stored as bytes). */
  readonly body: string;
  /** Its size in bytes. */
  readonly size: number;
  readonly kind: EnvelopeKind;
  readonly storedAt: number;
  /** The sender's franking commitment and the server's stamp on it, base64url; null for control messages. */
  readonly commitment: string | null;
  readonly stamp: string | null;
  /** The sender marked it a delivery receipt (`receipt: true` on the send frame); never for sealed envelopes. */
  readonly receipt: boolean;
  /**
   * The policy mode its sender encrypted it under. transport-only: `body` is the
   * payload the server opened (what the recipient is given), `size` the sealed
   * envelope's as received.
   */
  readonly mode: PolicyMode;
  /** key-escrow: the access field (base64url) passed on with the body; absent or null for every other mode (migration 9). */
  readonly access?: string | null;
}

/**
 * An acknowledgement: `seq` (and the sender) when the relay knows which row it
 * pushed, else found by id.
 */
export interface Ack {
  readonly recipient: string;
  readonly recipientDevice: number;
  readonly messageId: string;
  readonly seq: number | undefined;
  readonly sender?: string | null;
  readonly senderDevice?: number | null;
}

/** An envelope an ack deleted: who sent it (for the relay's observers of deliveries). */
export interface AckedEnvelope {
  readonly seq: number;
  readonly sender: string | null;
  readonly senderDevice: number | null;
}

export interface TurnOutcome {
  /** For each ack: the envelope it deleted, or undefined (only a recipient's own can be deleted). */
  readonly acked: (AckedEnvelope | undefined)[];
  /** For each new envelope: its seq (the same in the metadata log and the mailbox). */
  readonly stored: { seq: number }[];
}

/** Runs inside a turn's transaction once its envelopes are stored, with their seqs in order. */
export type WithinTurn = (stored: readonly { seq: number }[]) => void;

export interface MailboxEntry {
  readonly seq: number;
  readonly messageId: string;
  readonly sender: string | null;
  readonly senderDevice: number | null;
  /** base64url, as sent. */
  readonly body: string;
  readonly storedAt: number;
  readonly commitment: string | null;
  readonly stamp: string | null;
  /** The sender marked it a delivery receipt (migration 7), passed on to the recipient. */
  readonly receipt: boolean;
  readonly mode: PolicyMode;
  readonly access: string | null;
}

interface MailboxRow {
  seq: number;
  message_id: string;
  sender: string | null;
  sender_device: number | null;
  body: Buffer;
  stored_at: number;
  franking_commitment: string | null;
  franking_stamp: string | null;
  receipt: number;
  mode: PolicyMode;
  access: string | null;
}

/**
 * Rows per INSERT statement. With one statement per row (a bind-and-step round
 * trip per call, and AUTOINCREMENT's update of sqlite_sequence per statement)
 * a turn's commit took 18.6 µs an envelope; in chunks of this many, 15.6 µs
 * (medians of three alternating runs of 1,400-envelope turns, with the digest
 * change below).
 */
const ROWS_PER_INSERT = 64;
/** The log's columns as metadata-repo.ts reads them, and the ciphertext's digest. */
const LOG_COLUMNS = [...METADATA_COLUMNS, 'ciphertext_sha256'];
const MAILBOX_COLUMNS = ['seq', 'message_id', 'recipient', 'recipient_device', 'sender', 'sender_device', 'body', 'stored_at', 'franking_commitment', 'franking_stamp', 'receipt', 'mode', 'access'];

/** `INSERT INTO table (columns) VALUES (?, ...), (?, ...), ...` for `rows` rows, prepared once per row count. */
function multiRowInsert(db: Db, table: string, columns: readonly string[]) {
  const prepared: Database.Statement<unknown[]>[] = [];
  const row = `(${columns.map(() => '?').join(', ')})`;
  return (rows: number) =>
    (prepared[rows] ??= db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`));
}

export function mailboxRepo(db: Db) {
  const insertMetadata = multiRowInsert(db, 'metadata_log', LOG_COLUMNS);
  const insertMailbox = multiRowInsert(db, 'mailbox', MAILBOX_COLUMNS);
  // Seqs are assigned here, so a chunk of rows can go in one statement: the next
  // is past every seq either table ever used (AUTOINCREMENT keeps that record in
  // sqlite_sequence, even for rows since deleted). Read inside the turn's
  // transaction, so a rolled-back turn leaves nothing to undo.
  const selectNextSeq = db
    .prepare<[], number>("SELECT coalesce(max(seq), 0) + 1 FROM sqlite_sequence WHERE name IN ('metadata_log', 'mailbox')")
    .pluck();
  const deleteBySeq = db.prepare('DELETE FROM mailbox WHERE seq = ? AND recipient = ? AND recipient_device = ? AND message_id = ?');
  const deleteById = db.prepare<[string, number, string], { seq: number; sender: string | null; sender_device: number | null }>(
    'DELETE FROM mailbox WHERE recipient = ? AND recipient_device = ? AND message_id = ? RETURNING seq, sender, sender_device',
  );
  // One statement per turn, by rowid (a JSON array of seqs): a statement per ack cost a tenth of the commit.
  const markDelivered = db.prepare('UPDATE metadata_log SET delivered_at = ? WHERE seq IN (SELECT value FROM json_each(?))');
  const selectPending = db.prepare<[number, string, number, number], MailboxRow>(
    `SELECT seq, message_id, sender, sender_device, body, stored_at, franking_commitment, franking_stamp, receipt, mode, access FROM mailbox
     WHERE seq > ? AND recipient = ? AND recipient_device = ? ORDER BY seq LIMIT ?`,
  );
  const countPending = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM mailbox WHERE recipient = ? AND recipient_device = ?',
  );
  // The newest rows by rowid, filtered by time in JavaScript: bounded work at start-up
  // (a WHERE on sent_at would scan the whole log, which has no time index).
  const selectNewestIds = db.prepare<[number], { message_id: string; recipient: string; recipient_device: number; sent_at: number }>(
    'SELECT message_id, recipient, recipient_device, sent_at FROM metadata_log ORDER BY seq DESC LIMIT ?',
  );
  const pruneOlder = db.prepare('DELETE FROM metadata_log WHERE sent_at < ?');
  // Hourly, over the mailbox only (envelopes waiting, not the log): a scan, as the mailbox has no time index.
  const expireWaiting = db.prepare<[number], { recipient: string; recipient_device: number }>(
    'DELETE FROM mailbox WHERE stored_at < ? RETURNING recipient, recipient_device',
  );

  /** Stores `envelopes` (log row and mailbox row, sharing a seq); returns their seqs in order. */
  const storeAll = (envelopes: readonly NewEnvelope[]): { seq: number }[] => {
    const stored: { seq: number }[] = [];
    let seq = envelopes.length > 0 ? selectNextSeq.get()! : 0;
    for (let start = 0; start < envelopes.length; start += ROWS_PER_INSERT) {
      const chunk = envelopes.slice(start, start + ROWS_PER_INSERT);
      const logValues: unknown[] = [];
      const mailboxValues: unknown[] = [];
      for (const e of chunk) {
        // Stored as bytes (a quarter smaller than base64url); Node's native codec does the conversion.
        const bytes = Buffer.from(e.body, 'base64url');
        // Through a 'binary' (latin1) string, one character per byte: asked for a Buffer, hash() takes twice as long in Node 20.
        const digest = Buffer.from(hash('sha256', bytes, 'binary'), 'binary');
        logValues.push(seq, e.messageId, e.sender, e.senderDevice, e.recipient, e.recipientDevice, e.storedAt, e.size, e.kind, e.receipt ? 1 : 0, e.mode, digest);
        mailboxValues.push(seq, e.messageId, e.recipient, e.recipientDevice, e.sender, e.senderDevice, bytes, e.storedAt, e.commitment, e.stamp, e.receipt ? 1 : 0, e.mode, e.access ?? null);
        stored.push({ seq });
        seq++;
      }
      insertMetadata(chunk.length).run(logValues);
      insertMailbox(chunk.length).run(mailboxValues);
    }
    return stored;
  };

  const deleteAck = (a: Ack): AckedEnvelope | undefined => {
    if (a.seq !== undefined) {
      const deleted = deleteBySeq.run(a.seq, a.recipient, a.recipientDevice, a.messageId).changes > 0;
      return deleted ? { seq: a.seq, sender: a.sender ?? null, senderDevice: a.senderDevice ?? null } : undefined;
    }
    const row = deleteById.get(a.recipient, a.recipientDevice, a.messageId);
    return row && { seq: row.seq, sender: row.sender, senderDevice: row.sender_device };
  };

  const commitTurn = db.transaction(
    (envelopes: readonly NewEnvelope[], acks: readonly Ack[], ackedAt: number, withinTurn: WithinTurn | undefined): TurnOutcome => {
      const acked = acks.map(deleteAck);
      const seqs = acked.flatMap((a) => (a ? [a.seq] : []));
      if (seqs.length > 0) markDelivered.run(ackedAt, JSON.stringify(seqs));
      const stored = storeAll(envelopes);
      withinTurn?.(stored);
      return { acked, stored };
    },
  );

  return {
    /**
     * In one transaction: deletes acknowledged envelopes (only the recipient's
     * own), stamping their log rows delivered at `ackedAt`, and stores new
     * envelopes with their metadata; then `withinTurn`, in the same
     * transaction (the content log of transport-only envelopes), so the turn
     * commits whole or not at all.
     */
    commitTurn(envelopes: readonly NewEnvelope[], acks: readonly Ack[], ackedAt: number, withinTurn?: WithinTurn): TurnOutcome {
      return commitTurn(envelopes, acks, ackedAt, withinTurn);
    },
    pending(recipient: string, recipientDevice: number, afterSeq: number, limit: number): MailboxEntry[] {
      return selectPending.all(afterSeq, recipient, recipientDevice, limit).map((row) => ({
        seq: row.seq,
        messageId: row.message_id,
        sender: row.sender,
        senderDevice: row.sender_device,
        body: row.body.toString('base64url'),
        storedAt: row.stored_at,
        commitment: row.franking_commitment,
        stamp: row.franking_stamp,
        receipt: row.receipt === 1,
        mode: row.mode,
        access: row.access,
      }));
    },
    pendingCount(recipient: string, recipientDevice: number): number {
      return countPending.get(recipient, recipientDevice)!.n;
    },
    /** Ids stored since `since` (newest first, at most `limit`): to rebuild the relay's duplicate filter at start. */
    recentIds(since: number, limit: number): { messageId: string; recipient: string; recipientDevice: number; sentAt: number }[] {
      return selectNewestIds
        .all(limit)
        .filter((r) => r.sent_at >= since)
        .map((r) => ({ messageId: r.message_id, recipient: r.recipient, recipientDevice: r.recipient_device, sentAt: r.sent_at }));
    },
    /** Deletes waiting envelopes stored before `olderThan`, unread (hourly housekeeping); returns the devices whose mailbox shrank. */
    expireWaiting(olderThan: number): { recipient: string; recipientDevice: number; count: number }[] {
      const byDevice = new Map<string, { recipient: string; recipientDevice: number; count: number }>();
      for (const row of expireWaiting.all(olderThan)) {
        const key = `${row.recipient}\u0000${row.recipient_device}`;
        const entry = byDevice.get(key);
        if (entry) entry.count++;
        else byDevice.set(key, { recipient: row.recipient, recipientDevice: row.recipient_device, count: 1 });
      }
      return [...byDevice.values()];
    },
    /** Deletes metadata older than `olderThan` (hourly housekeeping). */
    pruneMetadata(olderThan: number): number {
      return pruneOlder.run(olderThan).changes;
    },
  };
}

export type MailboxRepo = ReturnType<typeof mailboxRepo>;
