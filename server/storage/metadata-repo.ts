/**
 * Reads over the metadata log for the operator view and the X-ray: pages of
 * envelopes, who-talks-to-whom, one account's timeline, one envelope's row.
 * None of this is on the relay's hot path, and the log has no index beyond its
 * rowid (see mailbox-repo.ts), so these scan it in seq order. A log row joins
 * its mailbox row by rowid (they share the seq); the other columns are checked
 * too, for rows written before migration 2.
 */
import type { PolicyMode } from '@envelope/protocol';
import type { Db } from './database.js';
import type { EnvelopeKind } from './mailbox-repo.js';

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
  /** The sender's app marked it a delivery receipt (only unsealed envelopes can be marked; migration 4). */
  readonly receipt: boolean;
  /** The policy mode it was sent under, as its sender claimed (migration 8; 'e2ee' for all before). */
  readonly mode: PolicyMode;
}

/** A log row as the operator sees it: and whether (and how it begins) its ciphertext is still in the mailbox. */
export interface LoggedEnvelope extends MetadataEntry {
  readonly stillStored: boolean;
  /** The first `previewBytes` of the ciphertext while stored. */
  readonly preview: Buffer | null;
}

/** Everything the server holds for one envelope (the X-ray's server row). */
export interface StoredEnvelopeRecord extends MetadataEntry {
  readonly deliveredAt: number | null;
  /** null only for rows written before migration 2 whose ciphertext is gone. */
  readonly ciphertextSha256: Buffer | null;
  readonly body: Buffer | null;
}

export interface GraphCounts {
  readonly sent: Map<string, number>;
  readonly received: Map<string, number>;
  /** Per pair: envelopes that are not marked receipts, and marked receipts apart. */
  readonly edges: { from: string; to: string; envelopes: number; receipts: number; bytes: number; firstAt: number; lastAt: number }[];
  readonly unattributed: number;
  /** Envelopes marked as receipts, in all (counted in no node and in no edge's `envelopes`). */
  readonly receipts: number;
}

/** A metadata_log row as SQLite returns it (the columns metadataColumns() lists). */
export interface MetadataRow {
  seq: number;
  message_id: string;
  sender: string | null;
  sender_device: number | null;
  recipient: string;
  recipient_device: number;
  sent_at: number;
  size: number;
  kind: EnvelopeKind;
  receipt: number;
  mode: PolicyMode;
}

/** The columns of a MetadataRow, in this order (mailbox-repo.ts inserts in it too). */
export const METADATA_COLUMNS = ['seq', 'message_id', 'sender', 'sender_device', 'recipient', 'recipient_device', 'sent_at', 'size', 'kind', 'receipt', 'mode'] as const;

/** METADATA_COLUMNS for a SELECT, each prefixed with `alias.` when given (for joins). */
export function metadataColumns(alias?: string): string {
  const prefix = alias ? `${alias}.` : '';
  return METADATA_COLUMNS.map((c) => prefix + c).join(', ');
}

export const toMetadataEntry = (row: MetadataRow): MetadataEntry => ({
  seq: row.seq,
  messageId: row.message_id,
  sender: row.sender,
  senderDevice: row.sender_device,
  recipient: row.recipient,
  recipientDevice: row.recipient_device,
  sentAt: row.sent_at,
  size: row.size,
  kind: row.kind,
  receipt: row.receipt === 1,
  mode: row.mode,
});

const COLUMNS = metadataColumns('m');
const JOIN_MAILBOX = `LEFT JOIN mailbox b ON b.seq = m.seq AND b.message_id = m.message_id
  AND b.recipient = m.recipient AND b.recipient_device = m.recipient_device`;

export function metadataRepo(db: Db, previewBytes: number) {
  type PageRow = MetadataRow & { preview: Buffer | null; stored: number };
  const logged = (row: PageRow): LoggedEnvelope => ({ ...toMetadataEntry(row), stillStored: row.stored === 1, preview: row.preview });
  const selectBefore = db.prepare<[number, number, number], PageRow>(
    `SELECT ${COLUMNS}, substr(b.body, 1, ?) AS preview, b.seq IS NOT NULL AS stored
     FROM metadata_log m ${JOIN_MAILBOX} WHERE m.seq < ? ORDER BY m.seq DESC LIMIT ?`,
  );
  const selectAfter = db.prepare<[number, number, number], PageRow>(
    `SELECT ${COLUMNS}, substr(b.body, 1, ?) AS preview, b.seq IS NOT NULL AS stored
     FROM metadata_log m ${JOIN_MAILBOX} WHERE m.seq > ? ORDER BY m.seq DESC LIMIT ?`,
  );
  const countAfter = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM metadata_log WHERE seq > ?');
  const selectTimeline = db.prepare<[string, string, number], MetadataRow>(
    `SELECT ${COLUMNS} FROM metadata_log m WHERE m.sender = ? OR m.recipient = ? ORDER BY m.seq DESC LIMIT ?`,
  );
  type StoredRow = MetadataRow & { delivered_at: number | null; ciphertext_sha256: Buffer | null; body: Buffer | null };
  // The caller's own row first: as the recipient device, then as the recipient account, then as the sender (oldest first).
  const selectStored = db.prepare<[string, string, string, string, number, string], StoredRow>(
    `SELECT ${COLUMNS}, m.delivered_at, m.ciphertext_sha256, b.body FROM metadata_log m ${JOIN_MAILBOX}
     WHERE m.message_id = ? AND (m.recipient = ? OR m.sender = ?)
     ORDER BY (m.recipient = ? AND m.recipient_device = ?) DESC, (m.recipient = ?) DESC, m.seq LIMIT 1`,
  );
  const selectStoredSealed = db.prepare<[string, string, number], StoredRow>(
    `SELECT ${COLUMNS}, m.delivered_at, m.ciphertext_sha256, b.body FROM metadata_log m ${JOIN_MAILBOX}
     WHERE m.message_id = ? AND m.recipient = ? AND m.recipient_device = ? AND m.sender IS NULL`,
  );
  // Receipts (marked ones) are not conversation: counted apart, so an unanswered pair does not look answered.
  const selectEdges = db.prepare<[number], { sender: string; recipient: string; n: number; receipts: number; bytes: number; first_at: number; last_at: number }>(
    `SELECT sender, recipient, count(*) - sum(receipt) AS n, sum(receipt) AS receipts, sum(size) AS bytes, min(sent_at) AS first_at, max(sent_at) AS last_at
     FROM metadata_log WHERE sender IS NOT NULL GROUP BY sender, recipient ORDER BY n DESC, sender, recipient LIMIT ?`,
  );
  const selectSent = db.prepare<[], { name: string; n: number }>(
    'SELECT sender AS name, count(*) AS n FROM metadata_log WHERE sender IS NOT NULL AND receipt = 0 GROUP BY sender',
  );
  const selectReceived = db.prepare<[], { name: string; n: number }>(
    'SELECT recipient AS name, count(*) AS n FROM metadata_log WHERE receipt = 0 GROUP BY recipient',
  );
  const countUnattributed = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM metadata_log WHERE sender IS NULL');
  const countReceipts = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM metadata_log WHERE receipt = 1');

  return {
    /** Newest first, seq below `beforeSeq`. */
    page(limit: number, beforeSeq: number): LoggedEnvelope[] {
      return selectBefore.all(previewBytes, beforeSeq, limit).map(logged);
    },
    /** The newest `limit` envelopes after `afterSeq`, oldest first, and how many came after `afterSeq` in all. */
    after(afterSeq: number, limit: number): { envelopes: LoggedEnvelope[]; total: number } {
      const total = countAfter.get(afterSeq)!.n;
      return { envelopes: selectAfter.all(previewBytes, afterSeq, limit).map(logged).reverse(), total };
    },
    /** Envelopes `username` sent or received, newest first. */
    involving(username: string, limit: number): MetadataEntry[] {
      return selectTimeline.all(username, username, limit).map(toMetadataEntry);
    },
    /** The row for `messageId` that `username` (on `deviceId`) sent or received, preferring its own device's. */
    storedFor(messageId: string, username: string, deviceId: number): StoredEnvelopeRecord | undefined {
      const row = selectStored.get(messageId, username, username, username, deviceId, username);
      return (
        row && { ...toMetadataEntry(row), deliveredAt: row.delivered_at, ciphertextSha256: row.ciphertext_sha256, body: row.body }
      );
    },
    /** The row of a sealed-sender envelope (no sender recorded) by its id and recipient device; ordinary rows never. */
    storedSealed(messageId: string, recipient: string, recipientDevice: number): StoredEnvelopeRecord | undefined {
      const row = selectStoredSealed.get(messageId, recipient, recipientDevice);
      return (
        row && { ...toMetadataEntry(row), deliveredAt: row.delivered_at, ciphertextSha256: row.ciphertext_sha256, body: row.body }
      );
    },
    graph(maxEdges: number): GraphCounts {
      const counts = (rows: { name: string; n: number }[]) => new Map(rows.map((r) => [r.name, r.n]));
      return {
        sent: counts(selectSent.all()),
        received: counts(selectReceived.all()),
        edges: selectEdges
          .all(maxEdges)
          .map((e) => ({ from: e.sender, to: e.recipient, envelopes: e.n, receipts: e.receipts, bytes: e.bytes, firstAt: e.first_at, lastAt: e.last_at })),
        unattributed: countUnattributed.get()!.n,
        receipts: countReceipts.get()!.n,
      };
    },
  };
}

export type MetadataRepo = ReturnType<typeof metadataRepo>;
