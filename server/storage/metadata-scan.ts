/**
 * The whole metadata log in seq order, one row at a time, for the signals'
 * rescan (server/domain/signals). better-sqlite3's iterate() steps the cursor
 * row by row, so a million-envelope log never sits in memory at once. While it
 * runs the connection is busy: the caller must not issue other statements on
 * it until the iteration ends.
 */
import type { Db } from './database.js';
import type { MetadataEntry } from './metadata-repo.js';

export function metadataScan(db: Db) {
  // Columns renamed in SQL so each row already has the entry's shape (no copy per row).
  const selectAll = db.prepare<[], MetadataEntry>(
    `SELECT seq, message_id AS messageId, sender, sender_device AS senderDevice, recipient,
            recipient_device AS recipientDevice, sent_at AS sentAt, size, kind
     FROM metadata_log ORDER BY seq`,
  );
  return {
    /** Every logged envelope, oldest first. */
    inSeqOrder(): IterableIterator<MetadataEntry> {
      return selectAll.iterate();
    },
  };
}

export type MetadataScan = ReturnType<typeof metadataScan>;
