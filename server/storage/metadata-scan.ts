/**
 * The whole metadata log in seq order, for the signals' rescan
 * (server/domain/signals). Rows are read raw (arrays, not objects) in batches
 * by rowid and copied into ONE event object that is handed out again for
 * every row: building a fresh object per row was most of the cost of reading
 * a million-row log. The detectors copy what they keep (they never hold the
 * event itself), which is what makes the reuse safe; a caller that wants to
 * keep rows must copy them. The log never sits in memory at once.
 */
import type { PolicyMode } from '@envelope/protocol';
import type { EnvelopeKind } from './mailbox-repo.js';
import type { Db } from './database.js';
import type { MetadataEntry } from './metadata-repo.js';

/** Rows per read: large enough that the per-call cost vanishes, small enough to stay a few MB. */
export const SCAN_BATCH_ROWS = 20_000;

type RawRow = [number, string, string | null, number | null, string, number, number, number, EnvelopeKind, number, PolicyMode];

export function metadataScan(db: Db) {
  const selectBatch = db
    .prepare<[number, number], RawRow>(
      `SELECT seq, message_id, sender, sender_device, recipient, recipient_device, sent_at, size, kind, receipt, mode
       FROM metadata_log WHERE seq > ? ORDER BY seq LIMIT ?`,
    )
    .raw(true);
  return {
    /** Every logged envelope, oldest first, as one reused object (copy it to keep it). */
    *inSeqOrder(): IterableIterator<MetadataEntry> {
      const event = { seq: 0, messageId: '', sender: null as string | null, senderDevice: null as number | null, recipient: '', recipientDevice: 0, sentAt: 0, size: 0, kind: 'unknown' as EnvelopeKind, receipt: false, mode: 'e2ee' as PolicyMode };
      let after = 0;
      for (;;) {
        const rows = selectBatch.all(after, SCAN_BATCH_ROWS) as unknown as RawRow[];
        for (const row of rows) {
          event.seq = row[0];
          event.messageId = row[1];
          event.sender = row[2];
          event.senderDevice = row[3];
          event.recipient = row[4];
          event.recipientDevice = row[5];
          event.sentAt = row[6];
          event.size = row[7];
          event.kind = row[8];
          event.receipt = row[9] === 1;
          event.mode = row[10];
          yield event;
        }
        if (rows.length < SCAN_BATCH_ROWS) return;
        after = event.seq;
      }
    },
  };
}

export type MetadataScan = ReturnType<typeof metadataScan>;
