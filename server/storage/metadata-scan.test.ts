import { describe, expect, it } from 'vitest';
import { SignalsService } from '../domain/signals/service.js';
import { tempDataDir } from '@envelope/testkit/harness.js';
import { accountsRepo } from './accounts-repo.js';
import { openDatabase } from './database.js';
import { mailboxRepo, type NewEnvelope } from './mailbox-repo.js';
import { metadataScan, SCAN_BATCH_ROWS } from './metadata-scan.js';

const envelope = (sender: string | null, recipient: string, n: number): NewEnvelope => ({
  messageId: `message-${String(n).padStart(4, '0')}`,
  sender,
  senderDevice: sender === null ? null : 1,
  recipient,
  recipientDevice: 1,
  body: 'AQIDBA',
  size: 4,
  kind: 'message',
  storedAt: 1_000 + n,
  commitment: null,
  stamp: null,
  receipt: false, mode: 'e2ee' as const,
});

describe('metadata scan', () => {
  it('reads the whole log in seq order, a sealed envelope with no sender', () => {
    const db = openDatabase(tempDataDir());
    const mailbox = mailboxRepo(db);
    const written = [envelope('alice', 'bob', 1), envelope(null, 'bob', 2), envelope('bob', 'alice', 3)];
    mailbox.commitTurn(written.slice(0, 2), [], 0);
    mailbox.commitTurn(written.slice(2), [], 0);
    // The scan hands out one reused object: copy each row to keep it.
    const rows = Array.from(metadataScan(db).inSeqOrder(), (r) => ({ ...r }));
    expect(rows.map((r) => [r.messageId, r.sender, r.recipient, r.sentAt, r.kind])).toEqual(
      written.map((e) => [e.messageId, e.sender, e.recipient, e.storedAt, e.kind]),
    );
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b));
    db.close();
  });

  it('reads a log longer than one batch completely, in order, each row once', () => {
    const db = openDatabase(tempDataDir());
    const count = SCAN_BATCH_ROWS * 2 + 7;
    mailboxRepo(db).commitTurn(Array.from({ length: count }, (_, i) => envelope('alice', 'bob', i)), [], 0);
    const seqs = Array.from(metadataScan(db).inSeqOrder(), (r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    db.close();
  });

  it('feeds a rescan that counts sealed envelopes as unattributable and flags no one for them', () => {
    const db = openDatabase(tempDataDir());
    const accounts = accountsRepo(db);
    const scan = metadataScan(db);
    // Sealed: 300 envelopes to 150 accounts in seconds, a fan-out burst if the server could see who sent them.
    mailboxRepo(db).commitTurn(Array.from({ length: 300 }, (_, i) => envelope(null, `user${i % 150}`, i)), [], 0);
    const service = new SignalsService({ allAccounts: () => accounts.all(), account: (u) => accounts.account(u), logInSeqOrder: () => scan.inSeqOrder(), reportsInOrder: () => [] });
    service.rescan();
    for (const detector of service.snapshot().detectors.filter((d) => d.unit !== 'report')) {
      expect([detector.id, detector.observed, detector.unattributable, detector.flaggedTotal]).toEqual([detector.id, 300, 300, 0]);
    }
    db.close();
  });
});
