/**
 * The content log (migration 8's content_log): the text the server read from
 * each envelope a content-access mode made readable, one row per envelope,
 * keyed by the envelope's metadata-log seq. It is what "the server keeps the
 * text" means: the operator's content view, the scanner, the warrant answer,
 * the agency's console and the breach demonstration all read it. Kept for the
 * metadata log's retention (housekeeping calls purgeBefore).
 *
 * The relay writes it inside the transaction that stores the envelopes
 * (record), so an accepted message is either in the mailbox, the metadata
 * log and here, or nowhere. Listeners (the agency's prospective copy) run in
 * the same transaction: a row the agency should copy cannot be stored without
 * the copy.
 */
import type Database from 'better-sqlite3';
import type { EnvelopeMode } from '@envelope/protocol';
import type { ContentKind } from './message-text.js';

export interface ContentRow {
  /** The envelope's seq in the metadata log (and the mailbox). */
  readonly seq: number;
  readonly messageId: string;
  /** Who sent it: the signed-in sender, or the name in a sealed send's certificate. */
  readonly sender: string | null;
  readonly senderSource: 'signed-in' | 'certificate';
  readonly recipient: string;
  readonly storedAt: number;
  readonly mode: EnvelopeMode;
  readonly kind: ContentKind;
  readonly text: string | null;
}

export type ContentListener = (rows: readonly ContentRow[]) => void;

export interface ContentLog {
  /** Called inside the relay's commit transaction. */
  record(rows: readonly ContentRow[]): void;
  /** Listeners run inside the same transaction (the agency's prospective copy uses this). Returns the unsubscribe. */
  onRecord(listener: ContentListener): () => void;
  /** Rows `username` sent or received, oldest first; `since` is a storedAt (inclusive). */
  forAccount(username: string, options?: { since?: number; limit?: number }): ContentRow[];
  /** How many rows `username` sent or received. */
  countForAccount(username: string): number;
  /** Rows after `afterSeq`, oldest first. */
  all(options?: { afterSeq?: number; limit?: number }): ContentRow[];
  /** Messages held and the distinct people (senders and recipients) they involve. */
  counts(): { messages: number; people: number };
  /** Deletes rows stored before `storedAt`; returns how many. */
  purgeBefore(storedAt: number): number;
}

/** A read's row limit when the caller names none: a page, not the whole log. */
export const DEFAULT_CONTENT_PAGE = 500;
/** The most rows one read returns, whatever the caller asks. */
export const MAX_CONTENT_PAGE = 10_000;

interface Row {
  seq: number;
  message_id: string;
  sender: string | null;
  sender_source: string;
  recipient: string;
  stored_at: number;
  mode: string;
  kind: string;
  text: string | null;
}

const COLUMNS = 'seq, message_id, sender, sender_source, recipient, stored_at, mode, kind, text';

const toRow = (row: Row): ContentRow => ({
  seq: row.seq,
  messageId: row.message_id,
  sender: row.sender,
  senderSource: row.sender_source as ContentRow['senderSource'],
  recipient: row.recipient,
  storedAt: row.stored_at,
  mode: row.mode as EnvelopeMode,
  kind: row.kind as ContentKind,
  text: row.text,
});

const pageSize = (limit: number | undefined) => Math.max(0, Math.min(MAX_CONTENT_PAGE, Math.floor(limit ?? DEFAULT_CONTENT_PAGE)));

export function contentLog(db: Database.Database): ContentLog {
  const insert = db.prepare(`INSERT INTO content_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // Two indexed branches (by sender, by recipient) rather than one OR, so each uses its index.
  const selectForAccount = db.prepare<[string, number, string, number, number], Row>(
    `SELECT ${COLUMNS} FROM (
       SELECT ${COLUMNS} FROM content_log WHERE sender = ? AND stored_at >= ?
       UNION
       SELECT ${COLUMNS} FROM content_log WHERE recipient = ? AND stored_at >= ?
     ) ORDER BY seq LIMIT ?`,
  );
  const countForAccount = db
    .prepare<[string, string], number>(
      'SELECT count(*) FROM (SELECT seq FROM content_log WHERE sender = ? UNION SELECT seq FROM content_log WHERE recipient = ?)',
    )
    .pluck();
  const selectAfter = db.prepare<[number, number], Row>(`SELECT ${COLUMNS} FROM content_log WHERE seq > ? ORDER BY seq LIMIT ?`);
  // Exposure counts texts: a delivery receipt or a session reset the server read
  // holds no words, and a class told "2 messages" after one text would be misled.
  const countMessages = db.prepare<[], number>("SELECT count(*) FROM content_log WHERE kind = 'text'").pluck();
  const countPeople = db
    .prepare<[], number>(
      "SELECT count(*) FROM (SELECT sender AS name FROM content_log WHERE kind = 'text' AND sender IS NOT NULL UNION SELECT recipient FROM content_log WHERE kind = 'text')",
    )
    .pluck();
  const purge = db.prepare<[number]>('DELETE FROM content_log WHERE stored_at < ?');
  const listeners = new Set<ContentListener>();
  // Every client hears the counts at sign-in (the policy announcement's exposure):
  // counted once, and again only after the log changed.
  let counted: { messages: number; people: number } | undefined;

  return {
    record(rows) {
      if (rows.length === 0) return;
      counted = undefined;
      for (const r of rows) insert.run(r.seq, r.messageId, r.sender, r.senderSource, r.recipient, r.storedAt, r.mode, r.kind, r.text);
      for (const listener of listeners) listener(rows);
    },
    onRecord(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    forAccount(username, options = {}) {
      const since = options.since ?? 0;
      return selectForAccount.all(username, since, username, since, pageSize(options.limit)).map(toRow);
    },
    countForAccount(username) {
      return countForAccount.get(username, username)!;
    },
    all(options = {}) {
      return selectAfter.all(options.afterSeq ?? 0, pageSize(options.limit)).map(toRow);
    },
    counts() {
      return (counted ??= { messages: countMessages.get()!, people: countPeople.get()! });
    },
    purgeBefore(storedAt) {
      counted = undefined;
      return purge.run(storedAt).changes;
    },
  };
}
