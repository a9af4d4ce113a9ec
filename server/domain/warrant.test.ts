/**
 * The warrant answer over a real database (SQLite in a temp dir), written by
 * the real repositories as the relay writes it: contacts and counts come from
 * the metadata log, stored ciphertext from the mailbox, and what the server
 * could not see (a hidden sender) is counted, not guessed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarrantAnswerSchema, type WarrantAnswer } from '@envelope/protocol';
import { tempDataDir } from '@envelope/testkit/harness.js';
import { accountsRepo } from '../storage/accounts-repo.js';
import { openDatabase, type Db } from '../storage/database.js';
import { mailboxRepo, type NewEnvelope } from '../storage/mailbox-repo.js';
import { prekeysRepo } from '../storage/prekeys-repo.js';
import { reportsRepo } from '../storage/reports-repo.js';
import { warrantRepo } from '../storage/warrant-repo.js';
import { ServerError } from '../errors.js';
import { WarrantService } from './warrant.js';

const T0 = 1_700_000_000_000;
let db: Db;
let service: WarrantService;
let seq = 0;

const key = (fill: number) => new Uint8Array(32).fill(fill);

function envelope(sender: string | null, recipient: string, size: number, at: number, recipientDevice = 1): NewEnvelope {
  const body = Buffer.alloc(size, 0xab);
  body[0] = 0x01;
  return {
    messageId: `message-${String(++seq).padStart(4, '0')}`,
    sender,
    senderDevice: sender ? 1 : null,
    recipient,
    recipientDevice,
    body: body.toString('base64url'),
    size,
    kind: 'message',
    storedAt: at,
    commitment: null,
    stamp: null,
    receipt: false, mode: 'e2ee' as const,
  };
}

beforeAll(() => {
  db = openDatabase(tempDataDir());
  const accounts = accountsRepo(db);
  for (const [name, band] of [['alice', 'adult'], ['bob', '13-15'], ['carol', null], ['dave', null]] as const) {
    accounts.create({ username: name, createdAt: T0, ageBand: band }, { deviceId: 1, identityKey: key(name.length), registeredAt: T0 });
  }
  const prekeys = prekeysRepo(db);
  prekeys.setSignedPreKey('alice', 1, { id: 7, publicKey: key(9), signature: new Uint8Array(64) }, T0 + 1);
  prekeys.addOneTimePreKeys('alice', 1, [1, 2, 3].map((id) => ({ id, publicKey: key(id) })));
  prekeys.addKemPreKeys('alice', 1, [
    { id: 10, publicKey: new Uint8Array(1184), signature: new Uint8Array(64), lastResort: false },
    { id: 11, publicKey: new Uint8Array(1184), signature: new Uint8Array(64), lastResort: true },
  ]);
  const mailbox = mailboxRepo(db);
  const turn = mailbox.commitTurn(
    [
      envelope('alice', 'bob', 100, T0 + 10),
      envelope('alice', 'bob', 200, T0 + 20),
      envelope('bob', 'alice', 300, T0 + 30),
      envelope('carol', 'bob', 400, T0 + 40),
      envelope(null, 'alice', 500, T0 + 50), // sealed sender: the server never learnt who
      envelope('alice', 'alice', 50, T0 + 60, 2), // a note to her own other device
    ],
    [],
    T0 + 61,
  );
  // Bob's device confirms Alice's first envelope: its ciphertext is deleted, its log row stays.
  mailbox.commitTurn([], [{ recipient: 'bob', recipientDevice: 1, messageId: 'message-0001', seq: turn.stored[0]!.seq }], T0 + 70);
  service = new WarrantService(accounts, warrantRepo(db), reportsRepo(db), { metadataRetentionDays: 30, now: () => T0 + 1000 });
});
afterAll(() => db.close());

const answerFor = (name: string): WarrantAnswer => WarrantAnswerSchema.parse(service.answer(name));

describe('the warrant answer', () => {
  it('gives the account record and each device’s public keys with what is left of its prekeys', () => {
    const answer = answerFor('alice');
    expect(answer).toMatchObject({ account: 'alice', generatedAt: T0 + 1000, metadataRetentionDays: 30, record: { createdAt: T0, ageBand: 'adult' } });
    expect(answer.devices).toEqual([
      {
        deviceId: 1,
        registeredAt: T0,
        identityKey: Buffer.from(key(5)).toString('base64url'),
        signedPreKey: { id: 7, publicKey: Buffer.from(key(9)).toString('base64url'), uploadedAt: T0 + 1 },
        oneTimePreKeysLeft: 3,
        kemPreKeysLeft: 1,
        hasLastResortKemKey: true,
        activeSignIns: 0,
      },
    ]);
    expect(answerFor('bob').devices[0]).toMatchObject({ signedPreKey: null, oneTimePreKeysLeft: 0, hasLastResortKemKey: false });
  });

  it('names contacts from the metadata log, busiest first, and counts what came from hidden senders', () => {
    const alice = answerFor('alice');
    expect(alice.contacts).toEqual({
      total: 2,
      list: [
        { username: 'bob', sent: 2, received: 1, bytesSent: 300, bytesReceived: 300, receipts: 0, firstAt: T0 + 10, lastAt: T0 + 30 },
        { username: 'alice', sent: 1, received: 1, bytesSent: 50, bytesReceived: 50, receipts: 0, firstAt: T0 + 60, lastAt: T0 + 60 },
      ],
    });
    expect(alice.receivedFromHiddenSenders).toBe(1);
    expect(alice.notProvided.find((n) => n.what.includes('sealed sender'))!.why).toContain('received 1 such envelope');
    expect(answerFor('bob').contacts.list.map((c) => [c.username, c.sent, c.received])).toEqual([
      ['alice', 1, 2],
      ['carol', 0, 1],
    ]);
    expect(answerFor('dave').contacts).toEqual({ total: 0, list: [] });
  });

  it('lists the timeline newest first, with deliveries, and counts every event', () => {
    const alice = answerFor('alice');
    expect(alice.timeline.total).toBe(6);
    expect(alice.timeline.events.map((e) => [e.direction, e.peer, e.size])).toEqual([
      ['sent', 'alice', 50],
      ['received', 'alice', 50],
      ['received', null, 500],
      ['received', 'bob', 300],
      ['sent', 'bob', 200],
      ['sent', 'bob', 100],
    ]);
    const first = alice.timeline.events.at(-1)!;
    expect([first.deliveredAt, first.ciphertextSha256?.length]).toEqual([T0 + 70, 43]);
    expect(alice.timeline.events[0]!.deliveredAt).toBeNull();
    expect(alice.timeline.events[1]!.device).toBe(2);
  });

  it('hands over the stored ciphertext: what waits for the account and what it sent that still waits', () => {
    const alice = answerFor('alice');
    expect(alice.waitingForAccount.total).toBe(3);
    expect(alice.waitingForAccount.envelopes.map((e) => [e.sender, e.size])).toEqual([
      ['bob', 300],
      [null, 500],
      ['alice', 50],
    ]);
    const fromBob = Buffer.from(alice.waitingForAccount.envelopes[0]!.ciphertext, 'base64url');
    expect(fromBob.length).toBe(300);
    expect(fromBob.subarray(0, 2)).toEqual(Buffer.from([0x01, 0xab]));
    // The delivered one (100 bytes) is gone; the 200-byte one waits in Bob's mailbox.
    expect(alice.sentStillWaiting.envelopes.map((e) => [e.recipient, e.size])).toEqual([
      ['bob', 200],
      ['alice', 50],
    ]);
  });

  it('ends with what it could not provide, and has no reports yet', () => {
    const answer = answerFor('dave');
    expect(answer.verifiedReports).toEqual({ total: 0, reports: [] });
    expect(answer.unverifiedClaims).toEqual({ total: 0, reports: [] });
    expect(answer.notProvided.map((n) => n.what)).toEqual(
      expect.arrayContaining(['The content of any message', 'Messages already delivered', 'Activity older than 30 days']),
    );
    expect(answer.notProvided[0]!.why).toMatch(/encrypted end to end/);
  });

  it('lists a report of a sealed message, which names its sender only on the reporter’s word, as an unverified claim, never as verified', () => {
    const reports = reportsRepo(db);
    const base = { reporter: 'bob', reason: 'threat', sentAt: T0 + 5, reportedAt: T0 + 6 } as const;
    reports.file({ ...base, messageId: 'stamped-by-server', sender: 'carol', senderVerified: true, text: 'verified words' });
    reports.file({ ...base, messageId: 'sealed-one', sender: 'carol', senderVerified: false, text: 'claimed words' });
    const carol = answerFor('carol');
    expect(carol.verifiedReports.total).toBe(1);
    expect(carol.verifiedReports.reports.map((r) => [r.messageId, r.senderVerified])).toEqual([['stamped-by-server', true]]);
    expect(carol.unverifiedClaims.total).toBe(1);
    expect(carol.unverifiedClaims.reports.map((r) => [r.messageId, r.reporter, r.senderVerified])).toEqual([['sealed-one', 'bob', false]]);
  });

  it('cuts each list to its bound but counts everything, so a cut list never reads as complete', () => {
    const small = new WarrantService(accountsRepo(db), warrantRepo(db), reportsRepo(db), { metadataRetentionDays: 30, limits: { contacts: 1, timeline: 2, storedEnvelopes: 1 } });
    const alice = WarrantAnswerSchema.parse(small.answer('alice'));
    expect([alice.contacts.list.length, alice.contacts.total]).toEqual([1, 2]);
    expect(alice.contacts.list[0]!.username).toBe('bob');
    expect([alice.timeline.events.length, alice.timeline.total]).toEqual([2, 6]);
    expect([alice.waitingForAccount.envelopes.length, alice.waitingForAccount.total]).toEqual([1, 3]);
    expect([alice.sentStillWaiting.envelopes.length, alice.sentStillWaiting.total]).toEqual([1, 2]);
  });

  it('refuses an account it does not have', () => {
    expect(() => service.answer('nobody')).toThrow(ServerError);
    try {
      service.answer('nobody');
    } catch (error) {
      expect((error as ServerError).code).toBe('NOT_FOUND');
    }
  });
});
