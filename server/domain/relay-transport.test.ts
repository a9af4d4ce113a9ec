/**
 * The relay with the real content-access parts wired in as app.ts wires them
 * (lawful-access's transport admission and content log, over one real SQLite
 * file): a transport-only envelope and its content row are committed together
 * or not at all, and an e2ee envelope never reaches the port.
 */
import { describe, expect, it } from 'vitest';
import { cryptoReady, randomBytes, toBase64Url } from '@envelope/crypto-public';
import { contentLog, lawfulAccessReady, loadOrCreateTransportKey, transportAdmission } from '@envelope/lawful-access';
import { tempDataDir } from '@envelope/testkit/harness.js';
import { textMessageBytes, transportBody } from '../integration/testing.js';
import { accountsRepo } from '../storage/accounts-repo.js';
import { openDatabase } from '../storage/database.js';
import { mailboxRepo } from '../storage/mailbox-repo.js';
import { FrankingStamper } from './franking-stamps.js';
import { RelayService } from './relay.js';
import { DEFAULT_RELAY_OPTIONS, type SubmitHandler } from './relay-types.js';
import type { TransportAdmission } from './transport-admission.js';

async function setUp() {
  await Promise.all([cryptoReady(), lawfulAccessReady()]);
  const dir = tempDataDir();
  const db = openDatabase(dir);
  const accounts = accountsRepo(db);
  for (const username of ['alice', 'bob']) accounts.create({ username, createdAt: 0, ageBand: null }, { deviceId: 1, identityKey: new Uint8Array(32), registeredAt: 0 });
  const keys = loadOrCreateTransportKey(dir);
  const real = transportAdmission(keys, randomBytes(32), contentLog(db));
  const opened: string[] = [];
  // The real port, watched: which envelopes reached it.
  const watched: TransportAdmission = { admit: (envelope) => (opened.push(envelope.messageId), real.admit(envelope)), record: (rows) => real.record(rows) };
  const relay = new RelayService(mailboxRepo(db), accounts, new FrankingStamper(new Uint8Array(32).fill(9)), DEFAULT_RELAY_OPTIONS, () => {}, Date.now, watched);
  const outcomes = new Map<string, string>();
  const handler: SubmitHandler = { stored: (id) => outcomes.set(id, 'stored'), failed: (id, error) => outcomes.set(id, error.code) };
  const transportKey = toBase64Url(keys.publicKey);
  const send = (id: string, body: string, mode?: 'transport-only') => relay.submit({ username: 'alice', deviceId: 1 }, { id, to: 'bob', toDevice: 1, body, mode }, handler);
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
  return { db, relay, outcomes, opened, send, count, transportKey };
}

describe('the relay with transport admission', () => {
  it('commits a transport-only envelope and its content row together, or neither: a failed content write fails the whole turn', async () => {
    const { db, relay, outcomes, send, count, transportKey } = await setUp();
    send('first-message', transportBody(transportKey, textMessageBytes('kept together')), 'transport-only');
    relay.flush();
    expect(outcomes.get('first-message')).toBe('stored');
    expect([count('mailbox'), count('metadata_log'), count('content_log')]).toEqual([1, 1, 1]);
    expect(db.prepare('SELECT m.seq = c.seq FROM metadata_log m JOIN content_log c USING (message_id)').pluck().get()).toBe(1);

    // The content log cannot be written: the envelopes of that turn (an e2ee one too) are not stored, and their senders are told to resend.
    db.exec('ALTER TABLE content_log RENAME TO content_log_gone');
    send('second-message', transportBody(transportKey, textMessageBytes('lost together')), 'transport-only');
    send('plain-message', toBase64Url(Uint8Array.of(1, 2, 3)));
    relay.flush();
    expect([outcomes.get('second-message'), outcomes.get('plain-message')]).toEqual(['INTERNAL', 'INTERNAL']);
    expect([count('mailbox'), count('metadata_log')]).toEqual([1, 1]);
  });

  it('never hands an envelope without a mode to the port, even one sealed to the transport key', async () => {
    const { relay, outcomes, opened, send, count, transportKey } = await setUp();
    send('e2ee-message', transportBody(transportKey, textMessageBytes('not to be opened')));
    send('open-message', transportBody(transportKey, textMessageBytes('to be opened')), 'transport-only');
    relay.flush();
    expect([outcomes.get('e2ee-message'), outcomes.get('open-message')]).toEqual(['stored', 'stored']);
    expect(opened).toEqual(['open-message']);
    expect(count('content_log')).toBe(1);
  });
});
