/**
 * The content log over a real SQLite file (migrations applied), and the
 * reader that finds a message's kind and text.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { utf8Encode } from '@envelope/crypto-public';
import { openDatabase } from '@envelope/server/storage/database.js';
import { contentLog, type ContentRow } from './content-log.js';
import { readMessageText } from './message-text.js';

const freshLog = () => {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'envelope-content-')));
  return { db, log: contentLog(db) };
};

const row = (seq: number, sender: string | null, recipient: string, storedAt: number, text: string | null = `text ${seq}`): ContentRow => ({
  seq,
  messageId: `m${seq}`.padEnd(22, 'x'),
  sender,
  senderSource: sender === null ? 'certificate' : 'signed-in',
  recipient,
  storedAt,
  mode: 'transport-only',
  kind: text === null ? 'receipt' : 'text',
  text,
});

describe('the content log', () => {
  it('keeps rows, answers per account oldest first, after a seq, and counts messages and people', () => {
    const { log } = freshLog();
    log.record([row(1, 'alice', 'bob', 100), row(2, 'bob', 'alice', 200), row(3, 'carol', 'dave', 300), row(4, null, 'alice', 400)]);
    expect(log.forAccount('alice').map((r) => r.seq)).toEqual([1, 2, 4]);
    expect(log.forAccount('alice', { since: 200 }).map((r) => r.seq)).toEqual([2, 4]);
    expect(log.forAccount('alice', { limit: 1 }).map((r) => r.seq)).toEqual([1]);
    expect(log.forAccount('nobody')).toEqual([]);
    expect(log.all({ afterSeq: 2 }).map((r) => r.text)).toEqual(['text 3', 'text 4']);
    expect(log.all()[0]).toEqual(row(1, 'alice', 'bob', 100));
    expect(log.counts()).toEqual({ messages: 4, people: 4 });
    // A receipt the server read is no message of anyone's: exposure counts texts (and their people) only.
    log.record([row(5, 'erin', 'frank', 500, null)]);
    expect(log.counts()).toEqual({ messages: 4, people: 4 });
  });

  it('runs listeners inside the caller’s transaction: a rolled-back turn keeps neither the row nor the listener’s write', () => {
    const { db, log } = freshLog();
    const seen: number[] = [];
    const stop = log.onRecord((rows) => {
      seen.push(...rows.map((r) => r.seq));
      db.prepare('INSERT INTO intercept_audit (at, actor, action, target, detail) VALUES (1, ?, ?, NULL, ?)').run('test', 'copy', 'x');
    });
    const turn = db.transaction((rows: ContentRow[], fail: boolean) => {
      log.record(rows);
      if (fail) throw new Error('the turn fails');
    });
    expect(() => turn([row(1, 'alice', 'bob', 1)], true)).toThrow('the turn fails');
    expect(log.counts().messages).toBe(0);
    expect(db.prepare('SELECT count(*) FROM intercept_audit').pluck().get()).toBe(0);
    turn([row(2, 'alice', 'bob', 1)], false);
    expect(seen).toEqual([1, 2]);
    expect(db.prepare('SELECT count(*) FROM intercept_audit').pluck().get()).toBe(1);
    stop();
    turn([row(3, 'alice', 'bob', 1)], false);
    expect(seen).toEqual([1, 2]);
  });

  it('purges rows stored before a time, and only those', () => {
    const { log } = freshLog();
    log.record([row(1, 'a', 'b', 100), row(2, 'a', 'b', 200), row(3, 'a', 'b', 300)]);
    expect(log.purgeBefore(250)).toBe(2);
    expect(log.all().map((r) => r.seq)).toEqual([3]);
  });
});

describe('the message-text reader', () => {
  const read = (value: unknown) => readMessageText(utf8Encode(typeof value === 'string' ? value : JSON.stringify(value)));

  it('reads a text’s words and a control message’s kind', () => {
    expect(read({ v: 1, kind: 'text', text: 'meet at six', sentAt: 1, fk: 'x' })).toEqual({ kind: 'text', text: 'meet at six' });
    expect(read({ v: 1, kind: 'receipt', sentAt: 1, ids: ['a'] })).toEqual({ kind: 'receipt', text: null });
    expect(read({ v: 1, kind: 'session-reset', sentAt: 1, unreadable: [] })).toEqual({ kind: 'session-reset', text: null });
  });

  it('says unknown for what it does not know, never guessing', () => {
    for (const value of ['not json', { v: 2, kind: 'text', text: 'x' }, { v: 1, kind: 'text', text: '' }, { v: 1, kind: 'text', text: 7 }, { v: 1, kind: 'poll' }, [1], null]) {
      expect(read(value)).toEqual({ kind: 'unknown', text: null });
    }
    expect(read({ v: 1, kind: 'text', text: 'x'.repeat(4001) })).toEqual({ kind: 'unknown', text: null });
    expect(readMessageText(new Uint8Array([0xff, 0xfe]))).toEqual({ kind: 'unknown', text: null });
  });
});
