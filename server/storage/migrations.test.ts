import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '@envelope/testkit/harness.js';
import { databasePath, openDatabase, schemaVersion } from './database.js';
import { mailboxRepo } from './mailbox-repo.js';
import { metadataRepo } from './metadata-repo.js';
import { MIGRATIONS } from './migrations.js';

describe('migration 2 (the X-ray columns)', () => {
  it('upgrades a version-1 database with envelopes waiting, whose seqs have drifted apart, without collisions', () => {
    const dir = tempDataDir();
    const old = new Database(databasePath(dir));
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.exec(`INSERT INTO accounts VALUES ('bob', 1, NULL);`);
    // The mailbox counter ahead of the log's (as a hand-edited database might be).
    for (let i = 0; i < 3; i++) {
      old.prepare("INSERT INTO metadata_log (message_id, recipient, recipient_device, sent_at, size, kind) VALUES (?, 'bob', 1, 1, 3, 'message')").run(`old-${i}-xxxx`);
    }
    for (let i = 0; i < 5; i++) {
      old.prepare("INSERT INTO mailbox (message_id, recipient, recipient_device, body, stored_at) VALUES (?, 'bob', 1, x'010203', 1)").run(`old-${i}-xxxx`);
    }
    old.close();

    const db = openDatabase(dir);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const columns = db.prepare("SELECT name FROM pragma_table_info('metadata_log')").all().map((c) => (c as { name: string }).name);
    expect(columns).toEqual(expect.arrayContaining(['ciphertext_sha256', 'delivered_at']));
    const mailbox = mailboxRepo(db);
    const outcome = mailbox.commitTurn(
      [{ messageId: 'new-envelope', sender: null, senderDevice: null, recipient: 'bob', recipientDevice: 1, body: 'AQID', size: 3, kind: 'message', storedAt: 2, commitment: null, stamp: null, receipt: false, mode: 'e2ee' as const }],
      [],
      0,
    );
    expect(outcome.stored[0]!.seq).toBe(6); // past every old mailbox row
    // An old row acked by id: deleted; its log row (seq 1, same id) stamped.
    const acked = mailbox.commitTurn([], [{ recipient: 'bob', recipientDevice: 1, messageId: 'old-0-xxxx', seq: undefined }], 77);
    expect(acked.acked[0]).toMatchObject({ seq: 1 });
    const metadata = metadataRepo(db, 24);
    expect(metadata.storedFor('old-0-xxxx', 'bob', 1)).toMatchObject({ deliveredAt: 77, body: null, ciphertextSha256: null });
    expect(metadata.storedFor('new-envelope', 'bob', 1)!.ciphertextSha256).toHaveLength(32);
    db.close();
  });
});

describe('migration 4 (the receipt mark)', () => {
  it('adds the column to a version-3 log at once: old rows read as not marked, new rows keep their mark', () => {
    const dir = tempDataDir();
    const old = new Database(databasePath(dir));
    for (const migration of MIGRATIONS.slice(0, 3)) old.exec(migration);
    old.pragma('user_version = 3');
    old.prepare("INSERT INTO metadata_log (message_id, sender, sender_device, recipient, recipient_device, sent_at, size, kind) VALUES ('old-row-xx', 'alice', 1, 'bob', 1, 1, 3, 'message')").run();
    old.close();

    const db = openDatabase(dir);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const receipt = { messageId: 'receipt-xx', sender: 'bob', senderDevice: 1, recipient: 'alice', recipientDevice: 1, body: 'AQID', size: 3, kind: 'message' as const, storedAt: 2, commitment: null, stamp: null, receipt: true, mode: 'e2ee' as const };
    mailboxRepo(db).commitTurn([receipt], [], 0);
    const rows = metadataRepo(db, 24).page(10, Number.MAX_SAFE_INTEGER);
    expect(rows.map((r) => [r.messageId, r.receipt])).toEqual([
      ['receipt-xx', true],
      ['old-row-xx', false],
    ]);
    db.close();
  });
});
