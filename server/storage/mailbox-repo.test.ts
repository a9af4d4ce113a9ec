/**
 * The mailbox and metadata log written together (mailbox-repo.ts): rows go in
 * by chunks of many per INSERT with seqs the repository assigns, so these
 * tests check that each envelope's log row and mailbox row still pair up, past
 * chunk boundaries, after deletions and after a turn that failed.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '@envelope/testkit/harness.js';
import { openDatabase } from './database.js';
import { mailboxRepo, type NewEnvelope } from './mailbox-repo.js';
import { metadataRepo } from './metadata-repo.js';

/** Envelope n: its own body bytes, recipient and time, so a mix-up between rows shows. */
function envelope(n: number): NewEnvelope {
  const bytes = Buffer.from([1, n & 0xff, (n >> 8) & 0xff, 7, 7, 7]);
  return {
    messageId: `message-${String(n).padStart(4, '0')}`,
    sender: `sender-${n % 3}`,
    senderDevice: 1,
    recipient: `user-${n % 7}`,
    recipientDevice: 1,
    body: bytes.toString('base64url'),
    size: bytes.length,
    kind: 'message',
    storedAt: 10_000 + n,
    commitment: n % 2 === 0 ? null : `commitment-${n}`,
    stamp: n % 2 === 0 ? null : `stamp-${n}`,
    receipt: false, mode: 'e2ee' as const,
  };
}

const sha256 = (base64url: string) => createHash('sha256').update(Buffer.from(base64url, 'base64url')).digest();

describe('the mailbox repository', () => {
  it('stores a turn of many chunks with one new seq each, every log row paired with its own mailbox row', () => {
    const db = openDatabase(tempDataDir());
    const mailbox = mailboxRepo(db);
    const metadata = metadataRepo(db, 16);
    const envelopes = Array.from({ length: 150 }, (_, n) => envelope(n)); // more than two chunks of 64
    const { stored } = mailbox.commitTurn(envelopes, [], 0);
    const seqs = stored.map((s) => s.seq);
    expect(new Set(seqs).size).toBe(envelopes.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    envelopes.forEach((e, i) => {
      const row = metadata.storedFor(e.messageId, e.recipient, 1)!;
      expect(row).toMatchObject({ seq: seqs[i], sender: e.sender, recipient: e.recipient, sentAt: e.storedAt, size: e.size });
      expect(Buffer.from(row.body!).toString('base64url')).toBe(e.body);
      expect(Buffer.from(row.ciphertextSha256!)).toEqual(sha256(e.body));
    });
    for (let r = 0; r < 7; r++) {
      const waiting = mailbox.pending(`user-${r}`, 1, 0, 1000);
      const expected = envelopes.filter((e) => e.recipient === `user-${r}`);
      expect(waiting.map((w) => [w.messageId, w.body, w.sender, w.storedAt, w.commitment, w.stamp])).toEqual(
        expected.map((e) => [e.messageId, e.body, e.sender, e.storedAt, e.commitment, e.stamp]),
      );
    }
    db.close();
  });

  it('never hands out a seq again, even after the newest envelopes were acknowledged and deleted', () => {
    const db = openDatabase(tempDataDir());
    const mailbox = mailboxRepo(db);
    const first = mailbox.commitTurn([envelope(1), envelope(2)], [], 0).stored;
    const acks = [envelope(1), envelope(2)].map((e, i) => ({ recipient: e.recipient, recipientDevice: 1, messageId: e.messageId, seq: first[i]!.seq }));
    expect(mailbox.commitTurn([], acks, 5).acked.every(Boolean)).toBe(true);
    const next = mailbox.commitTurn([envelope(3)], [], 0).stored[0]!.seq;
    expect(next).toBeGreaterThan(first[1]!.seq);
    db.close();
  });

  it('keeps nothing of a turn that failed part-way, and the next turn pairs its rows as before', () => {
    const db = openDatabase(tempDataDir());
    const mailbox = mailboxRepo(db);
    const metadata = metadataRepo(db, 16);
    const before = mailbox.commitTurn([envelope(0)], [], 0).stored[0]!.seq;
    // The 100th envelope breaks a NOT NULL column, in the second chunk: the whole turn must roll back.
    const broken = Array.from({ length: 120 }, (_, n) => (n === 99 ? { ...envelope(n + 1), recipient: null as unknown as string } : envelope(n + 1)));
    expect(() => mailbox.commitTurn(broken, [], 0)).toThrow();
    expect(metadata.page(1000, Number.MAX_SAFE_INTEGER).map((r) => r.messageId)).toEqual([envelope(0).messageId]);
    expect(mailbox.pendingCount(envelope(1).recipient, 1)).toBe(0);

    const retried = mailbox.commitTurn([envelope(1), envelope(2)], [], 0).stored.map((s) => s.seq);
    expect(retried[0]).toBeGreaterThan(before);
    expect(metadata.storedFor(envelope(2).messageId, envelope(2).recipient, 1)).toMatchObject({ seq: retried[1], sentAt: envelope(2).storedAt });
    db.close();
  });
});
