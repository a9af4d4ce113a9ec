/**
 * The mailbox (envelopes waiting for their recipient) and the metadata log
 * (what the server records about every envelope), written together: one
 * transaction per relay turn stores new envelopes with their metadata and
 * deletes acknowledged ones, and only after it commits does the relay confirm.
 * (A storage thread was tried and measured slower on this 2-core machine: it
 * competes with the clients for the second core.)
 *
 * Both tables are keyed by an ever-increasing rowid (`seq`) and have no other
 * index. Envelopes go to random recipients, so any index keyed by recipient or
 * message id would dirty a different page for nearly every envelope in a commit;
 * measured, that was most of the relay's cost. Reads that are not on the hot
 * path (a device's backlog, the operator's views) scan in seq order instead.
 */
import type { Db } from './database.js';

/** What the server can tell from an envelope's first byte (see shared/crypto/session.ts framing). */
export type EnvelopeKind = 'session-start' | 'message' | 'unknown';

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
}

/** An acknowledgement: `seq` when the relay knows which row it pushed, else found by id. */
export interface Ack {
  readonly recipient: string;
  readonly recipientDevice: number;
  readonly messageId: string;
  readonly seq: number | undefined;
}

export interface TurnOutcome {
  /** For each ack: whether it deleted an envelope (only a recipient's own can be deleted). */
  readonly acked: boolean[];
  /** For each new envelope: its mailbox seq. */
  readonly stored: { seq: number }[];
}

export interface MailboxEntry {
  readonly seq: number;
  readonly messageId: string;
  readonly sender: string | null;
  readonly senderDevice: number | null;
  /** base64url, as sent. */
  readonly body: string;
  readonly storedAt: number;
}

export interface MetadataEntry {
  readonly seq: number;
  readonly messageId: string;
  readonly sender: string | null;
  readonly senderDevice: number | null;
  readonly recipient: string;
  readonly recipientDevice: number;
  readonly sentAt: number;
  readonly size: number;
  readonly kind: EnvelopeKind;
}

interface MailboxRow {
  seq: number;
  message_id: string;
  sender: string | null;
  sender_device: number | null;
  body: Buffer;
  stored_at: number;
}

interface MetadataRow {
  seq: number;
  message_id: string;
  sender: string | null;
  sender_device: number | null;
  recipient: string;
  recipient_device: number;
  sent_at: number;
  size: number;
  kind: EnvelopeKind;
}

const toMetadata = (row: MetadataRow): MetadataEntry => ({
  seq: row.seq,
  messageId: row.message_id,
  sender: row.sender,
  senderDevice: row.sender_device,
  recipient: row.recipient,
  recipientDevice: row.recipient_device,
  sentAt: row.sent_at,
  size: row.size,
  kind: row.kind,
});

export function mailboxRepo(db: Db) {
  const insertMailbox = db.prepare(
    `INSERT INTO mailbox (message_id, recipient, recipient_device, sender, sender_device, body, stored_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMetadata = db.prepare(
    `INSERT INTO metadata_log (message_id, sender, sender_device, recipient, recipient_device, sent_at, size, kind)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const deleteBySeq = db.prepare('DELETE FROM mailbox WHERE seq = ? AND recipient = ? AND recipient_device = ? AND message_id = ?');
  const deleteById = db.prepare('DELETE FROM mailbox WHERE recipient = ? AND recipient_device = ? AND message_id = ?');
  const selectPending = db.prepare<[number, string, number, number], MailboxRow>(
    `SELECT seq, message_id, sender, sender_device, body, stored_at FROM mailbox
     WHERE seq > ? AND recipient = ? AND recipient_device = ? ORDER BY seq LIMIT ?`,
  );
  const countPending = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM mailbox WHERE recipient = ? AND recipient_device = ?',
  );
  const selectBody = db.prepare<[string, number, string], { body: Buffer }>(
    'SELECT body FROM mailbox WHERE recipient = ? AND recipient_device = ? AND message_id = ?',
  );
  const selectRecent = db.prepare<[number, number], MetadataRow>('SELECT * FROM metadata_log WHERE seq < ? ORDER BY seq DESC LIMIT ?');
  // The newest rows by rowid, filtered by time in JavaScript: bounded work at start-up
  // (a WHERE on sent_at would scan the whole log, which has no time index).
  const selectNewestIds = db.prepare<[number], { message_id: string; recipient: string; recipient_device: number; sent_at: number }>(
    'SELECT message_id, recipient, recipient_device, sent_at FROM metadata_log ORDER BY seq DESC LIMIT ?',
  );
  const pruneOlder = db.prepare('DELETE FROM metadata_log WHERE sent_at < ?');

  const commitTurn = db.transaction((envelopes: readonly NewEnvelope[], acks: readonly Ack[]): TurnOutcome => ({
    acked: acks.map((a) =>
      a.seq !== undefined
        ? deleteBySeq.run(a.seq, a.recipient, a.recipientDevice, a.messageId).changes > 0
        : deleteById.run(a.recipient, a.recipientDevice, a.messageId).changes > 0,
    ),
    stored: envelopes.map((e) => {
      insertMetadata.run(e.messageId, e.sender, e.senderDevice, e.recipient, e.recipientDevice, e.storedAt, e.size, e.kind);
      // Stored as bytes (a quarter smaller than base64url); Node's native codec does the conversion.
      const mail = insertMailbox.run(e.messageId, e.recipient, e.recipientDevice, e.sender, e.senderDevice, Buffer.from(e.body, 'base64url'), e.storedAt);
      return { seq: Number(mail.lastInsertRowid) };
    }),
  }));

  return {
    /**
     * In one transaction: deletes acknowledged envelopes (only the recipient's
     * own) and stores new envelopes with their metadata.
     */
    commitTurn(envelopes: readonly NewEnvelope[], acks: readonly Ack[]): TurnOutcome {
      return commitTurn(envelopes, acks);
    },
    pending(recipient: string, recipientDevice: number, afterSeq: number, limit: number): MailboxEntry[] {
      return selectPending.all(afterSeq, recipient, recipientDevice, limit).map((row) => ({
        seq: row.seq,
        messageId: row.message_id,
        sender: row.sender,
        senderDevice: row.sender_device,
        body: row.body.toString('base64url'),
        storedAt: row.stored_at,
      }));
    },
    pendingCount(recipient: string, recipientDevice: number): number {
      return countPending.get(recipient, recipientDevice)!.n;
    },
    /** The stored ciphertext (base64url), while it waits for delivery. */
    body(recipient: string, recipientDevice: number, messageId: string): string | undefined {
      return selectBody.get(recipient, recipientDevice, messageId)?.body.toString('base64url');
    },
    recentMetadata(limit: number, beforeSeq = Number.MAX_SAFE_INTEGER): MetadataEntry[] {
      return selectRecent.all(beforeSeq, limit).map(toMetadata);
    },
    /** Ids stored since `since` (newest first, at most `limit`): to rebuild the relay's duplicate filter at start. */
    recentIds(since: number, limit: number): { messageId: string; recipient: string; recipientDevice: number; sentAt: number }[] {
      return selectNewestIds
        .all(limit)
        .filter((r) => r.sent_at >= since)
        .map((r) => ({ messageId: r.message_id, recipient: r.recipient, recipientDevice: r.recipient_device, sentAt: r.sent_at }));
    },
    /** Deletes metadata older than `olderThan` (hourly housekeeping). */
    pruneMetadata(olderThan: number): number {
      return pruneOlder.run(olderThan).changes;
    },
  };
}

export type MailboxRepo = ReturnType<typeof mailboxRepo>;
