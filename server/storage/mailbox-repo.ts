/**
 * The mailbox (envelopes waiting for their recipient) and the metadata log
 * (what the server records about every envelope), written together: one
 * transaction stores a batch of envelopes and their metadata, and only after it
 * commits does the relay confirm them to their senders.
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
  readonly body: Uint8Array;
  readonly kind: EnvelopeKind;
  readonly storedAt: number;
}

export interface MailboxEntry {
  readonly seq: number;
  readonly messageId: string;
  readonly sender: string | null;
  readonly senderDevice: number | null;
  readonly body: Uint8Array;
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
  readonly deliveredAt: number | null;
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
  delivered_at: number | null;
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
  deliveredAt: row.delivered_at,
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
  const selectSeen = db.prepare<[string, number, string], { sent_at: number }>(
    'SELECT sent_at FROM metadata_log WHERE recipient = ? AND recipient_device = ? AND message_id = ?',
  );
  const selectPending = db.prepare<[string, number, number, number], MailboxRow>(
    `SELECT seq, message_id, sender, sender_device, body, stored_at FROM mailbox
     WHERE recipient = ? AND recipient_device = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );
  const deleteOne = db.prepare('DELETE FROM mailbox WHERE recipient = ? AND recipient_device = ? AND message_id = ?');
  const markDelivered = db.prepare(
    'UPDATE metadata_log SET delivered_at = ? WHERE recipient = ? AND recipient_device = ? AND message_id = ? AND delivered_at IS NULL',
  );
  const countPending = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM mailbox WHERE recipient = ? AND recipient_device = ?',
  );
  const selectBody = db.prepare<[string, number, string], { body: Buffer }>(
    'SELECT body FROM mailbox WHERE recipient = ? AND recipient_device = ? AND message_id = ?',
  );
  const selectRecent = db.prepare<[number, number], MetadataRow>('SELECT * FROM metadata_log WHERE seq < ? ORDER BY seq DESC LIMIT ?');
  const selectSince = db.prepare<[number, number], MetadataRow>('SELECT * FROM metadata_log WHERE seq > ? ORDER BY seq LIMIT ?');
  const pruneMetadata = db.prepare('DELETE FROM metadata_log WHERE sent_at < ?');

  const storeBatch = db.transaction((envelopes: readonly NewEnvelope[]) =>
    envelopes.map((e) => {
      const { lastInsertRowid } = insertMailbox.run(e.messageId, e.recipient, e.recipientDevice, e.sender, e.senderDevice, e.body, e.storedAt);
      const meta = insertMetadata.run(e.messageId, e.sender, e.senderDevice, e.recipient, e.recipientDevice, e.storedAt, e.body.length, e.kind);
      return { seq: Number(lastInsertRowid), metadataSeq: Number(meta.lastInsertRowid) };
    }),
  );

  const ackBatch = db.transaction((acks: readonly { recipient: string; recipientDevice: number; messageId: string }[], now: number) => {
    let deleted = 0;
    for (const a of acks) {
      deleted += deleteOne.run(a.recipient, a.recipientDevice, a.messageId).changes;
      markDelivered.run(now, a.recipient, a.recipientDevice, a.messageId);
    }
    return deleted;
  });

  return {
    /** When this (recipient, device, id) was already stored, its time; else undefined. */
    alreadyStored(recipient: string, recipientDevice: number, messageId: string): number | undefined {
      return selectSeen.get(recipient, recipientDevice, messageId)?.sent_at;
    },
    /** Stores envelopes and their metadata in one transaction; returns each one's mailbox and log positions. */
    storeBatch(envelopes: readonly NewEnvelope[]): { seq: number; metadataSeq: number }[] {
      return storeBatch(envelopes);
    },
    pending(recipient: string, recipientDevice: number, afterSeq: number, limit: number): MailboxEntry[] {
      return selectPending.all(recipient, recipientDevice, afterSeq, limit).map((row) => ({
        seq: row.seq,
        messageId: row.message_id,
        sender: row.sender,
        senderDevice: row.sender_device,
        body: new Uint8Array(row.body),
        storedAt: row.stored_at,
      }));
    },
    pendingCount(recipient: string, recipientDevice: number): number {
      return countPending.get(recipient, recipientDevice)!.n;
    },
    /** Deletes acknowledged envelopes (only the recipient's own) and records delivery; returns how many were deleted. */
    ackBatch(acks: readonly { recipient: string; recipientDevice: number; messageId: string }[], now: number): number {
      return ackBatch(acks, now);
    },
    body(recipient: string, recipientDevice: number, messageId: string): Uint8Array | undefined {
      const row = selectBody.get(recipient, recipientDevice, messageId);
      return row && new Uint8Array(row.body);
    },
    recentMetadata(limit: number, beforeSeq = Number.MAX_SAFE_INTEGER): MetadataEntry[] {
      return selectRecent.all(beforeSeq, limit).map(toMetadata);
    },
    metadataSince(afterSeq: number, limit: number): MetadataEntry[] {
      return selectSince.all(afterSeq, limit).map(toMetadata);
    },
    pruneMetadata(olderThan: number): number {
      return pruneMetadata.run(olderThan).changes;
    },
  };
}

export type MailboxRepo = ReturnType<typeof mailboxRepo>;
