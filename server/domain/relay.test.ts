import { describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { ServerFrameSchema } from '@envelope/protocol';
import { accountsRepo } from '../storage/accounts-repo.js';
import { openDatabase } from '../storage/database.js';
import { mailboxRepo, type MailboxRepo } from '../storage/mailbox-repo.js';
import { tempDataDir } from '@envelope/testkit/harness.js';
import { FrankingStamper } from './franking-stamps.js';
import { RelayService } from './relay.js';
import {
  CLOSE_REPLACED,
  DEFAULT_RELAY_OPTIONS,
  decodedLength,
  envelopeKind,
  type DeliveredEnvelope,
  type RelayConnection,
  type RelayOptions,
  type SubmitHandler,
} from './relay-types.js';

describe('what the relay can tell from an envelope without reading it', () => {
  it('reads the framing type from the first byte, for every possible second byte', () => {
    for (let second = 0; second < 256; second++) {
      expect(envelopeKind(toBase64Url(Uint8Array.of(0x02, second, 7)))).toBe('session-start');
      expect(envelopeKind(toBase64Url(Uint8Array.of(0x01, second)))).toBe('message');
      expect(envelopeKind(toBase64Url(Uint8Array.of(0x03, second)))).toBe('sealed');
      expect(envelopeKind(toBase64Url(Uint8Array.of(0x04, second)))).toBe('unknown');
    }
    expect(envelopeKind('')).toBe('unknown');
  });

  it('knows the size in bytes from the base64url length', () => {
    for (let n = 1; n < 70; n++) expect(decodedLength(toBase64Url(new Uint8Array(n)))).toBe(n);
  });
});

/**
 * The relay service over a real SQLite file, with connections that record what
 * they are sent: flow control, mailbox limits, replaced connections and failed
 * commits, which the socket-level tests cannot reach deterministically.
 */
describe('the relay service', () => {
  type Sent = { type: string; id?: string };

  function setUp(options: Partial<RelayOptions> = {}, wrapMailbox: (m: MailboxRepo) => MailboxRepo = (m) => m) {
    const db = openDatabase(tempDataDir());
    const accounts = accountsRepo(db);
    for (const username of ['alice', 'bob', 'carol']) {
      accounts.create({ username, createdAt: 0, ageBand: null }, { deviceId: 1, identityKey: new Uint8Array(32), registeredAt: 0 });
    }
    const relay = new RelayService(wrapMailbox(mailboxRepo(db)), accounts, new FrankingStamper(new Uint8Array(32).fill(9)), {
      ...DEFAULT_RELAY_OPTIONS,
      ...options,
    });
    const connect = (username: string) => {
      const sent: Sent[] = [];
      const closed: { code: number; reason: string }[] = [];
      const connection: RelayConnection = {
        device: { username, deviceId: 1 },
        address: '127.0.0.1',
        connectedAt: 0,
        push: (frame) => sent.push(frame as Sent),
        pushText: (json) => sent.push(JSON.parse(json) as Sent),
        close: (code, reason) => closed.push({ code, reason }),
      };
      relay.attach(connection, () => ({ type: 'ready', username, deviceId: 1, prekeys: { oneTimePreKeys: 1, kemPreKeys: 1, low: false } }));
      const messages = () => sent.filter((f) => f.type === 'message').map((f) => f.id!);
      return { connection, sent, closed, messages };
    };
    const outcomes = new Map<string, string>();
    const handler: SubmitHandler = {
      stored: (id, result) => outcomes.set(id, result.duplicate ? 'duplicate' : 'stored'),
      failed: (id, error) => outcomes.set(id, error.code),
    };
    const send = (from: string, to: string, id: string) =>
      relay.submit({ username: from, deviceId: 1 }, { id, to, toDevice: 1, body: toBase64Url(Uint8Array.of(1, 2, 3)) }, handler);
    return { relay, accounts, connect, send, outcomes, handler };
  }
  const ids = (n: number, prefix = 'message') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);

  it('pushes at most a window of unacknowledged envelopes, and the rest in order as acks come', () => {
    const { relay, connect, send } = setUp({ window: 4 });
    const bob = connect('bob');
    for (const id of ids(10)) send('alice', 'bob', id);
    relay.flush();
    expect(bob.messages()).toEqual(ids(10).slice(0, 4));
    relay.acknowledge({ username: 'bob', deviceId: 1 }, ids(10).slice(0, 2));
    relay.flush();
    expect(bob.messages()).toEqual(ids(10).slice(0, 6));
    relay.acknowledge({ username: 'bob', deviceId: 1 }, ids(10).slice(2, 6));
    relay.flush();
    relay.acknowledge({ username: 'bob', deviceId: 1 }, ids(10).slice(6, 10));
    relay.flush();
    expect(bob.messages()).toEqual(ids(10));
  });

  it('refuses sends to a full mailbox, and counts the space acks free', () => {
    const { relay, connect, send, outcomes } = setUp({ maxMailbox: 3 });
    for (const id of ids(4)) send('alice', 'bob', id);
    relay.flush();
    expect(ids(4).map((id) => outcomes.get(id))).toEqual(['stored', 'stored', 'stored', 'RATE_LIMITED']);
    connect('bob');
    relay.acknowledge({ username: 'bob', deviceId: 1 }, ids(4).slice(0, 2));
    relay.flush();
    for (const id of ids(3, 'later')) send('carol', 'bob', id);
    relay.flush();
    expect(ids(3, 'later').map((id) => outcomes.get(id))).toEqual(['stored', 'stored', 'RATE_LIMITED']);
  });

  it('refuses an unknown recipient, and accepts the same name once it registers', () => {
    const { relay, accounts, send, outcomes } = setUp();
    send('alice', 'dave', 'to-dave-1');
    expect(outcomes.get('to-dave-1')).toBe('UNKNOWN_RECIPIENT');
    accounts.create({ username: 'dave', createdAt: 0, ageBand: null }, { deviceId: 1, identityKey: new Uint8Array(32), registeredAt: 0 });
    send('alice', 'dave', 'to-dave-2');
    relay.flush();
    expect(outcomes.get('to-dave-2')).toBe('stored');
  });

  it('confirms a resend of a queued or stored id without storing it twice', () => {
    const { relay, connect, send, outcomes } = setUp();
    const bob = connect('bob');
    send('alice', 'bob', 'resent-01');
    send('alice', 'bob', 'resent-01');
    relay.flush();
    send('alice', 'bob', 'resent-01');
    expect(outcomes.get('resent-01')).toBe('duplicate');
    relay.flush();
    expect(bob.messages()).toEqual(['resent-01']);
  });

  it('closes a connection that the same device replaced, and keeps serving the new one', () => {
    const { relay, connect, send } = setUp();
    const first = connect('bob');
    const second = connect('bob');
    expect(first.closed).toEqual([{ code: CLOSE_REPLACED, reason: expect.any(String) }]);
    relay.detach(first.connection); // the old socket's close event arrives late
    send('alice', 'bob', 'after-replace');
    relay.flush();
    expect(first.messages()).toEqual([]);
    expect(second.messages()).toEqual(['after-replace']);
  });

  it('tells its observers which envelopes were delivered, and by whom they were sent; the sender hears nothing', () => {
    const { relay, connect, send } = setUp();
    const delivered: DeliveredEnvelope[] = [];
    relay.observe({ committed: () => {}, delivered: (envelopes) => delivered.push(...envelopes) });
    const alice = connect('alice');
    connect('bob');
    for (const id of ids(3)) send('alice', 'bob', id);
    relay.flush();
    relay.acknowledge({ username: 'bob', deviceId: 1 }, ids(3));
    relay.flush();
    expect(delivered.map((d) => [d.messageId, d.sender, d.senderDevice, d.recipient])).toEqual(ids(3).map((id) => [id, 'alice', 1, 'bob']));
    expect(alice.sent.map((f) => f.type)).toEqual(['ready']);
  });

  it('fails every send of a turn whose commit failed, and recounts the mailbox after', () => {
    let failNext = false;
    const { relay, send, outcomes } = setUp({ maxMailbox: 2 }, (mailbox) => ({
      ...mailbox,
      commitTurn: (...args: Parameters<MailboxRepo['commitTurn']>) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        return mailbox.commitTurn(...args);
      },
    }));
    failNext = true;
    for (const id of ids(2, 'lost')) send('alice', 'bob', id);
    relay.flush();
    expect(ids(2, 'lost').map((id) => outcomes.get(id))).toEqual(['INTERNAL', 'INTERNAL']);
    // Nothing was stored, so the mailbox has room for two again, and no more.
    for (const id of ids(3, 'kept')) send('alice', 'bob', id);
    relay.flush();
    expect(ids(3, 'kept').map((id) => outcomes.get(id))).toEqual(['stored', 'stored', 'RATE_LIMITED']);
  });

  it('builds message frames the schema accepts, passing on a signed-in sender’s receipt mark, live and from the backlog', () => {
    const { relay, connect, handler } = setUp();
    const body = toBase64Url(Uint8Array.of(1, 2, 3));
    const commitment = toBase64Url(new Uint8Array(32).fill(5));
    const submitAll = () => {
      relay.submit({ username: 'alice', deviceId: 1 }, { id: 'receipt-1', to: 'bob', toDevice: 1, body, receipt: true }, handler);
      relay.submit({ username: 'alice', deviceId: 1 }, { id: 'message-1', to: 'bob', toDevice: 1, body, commitment }, handler);
      relay.submit({ username: 'alice', deviceId: 1 }, { id: 'message-2', to: 'bob', toDevice: 1, body, commitment, receipt: true }, handler);
      // A sealed envelope is never marked, whatever it claims.
      relay.submitSealed('127.0.0.1', { id: 'sealed-1', to: 'bob', toDevice: 1, body, receipt: true }, handler);
      relay.flush();
    };
    const marks = (sent: readonly unknown[]) =>
      sent.map((frame) => ServerFrameSchema.parse(frame)).flatMap((f) => (f.type === 'message' ? [[f.id, f.receipt ?? 'unmarked']] : []));
    const expected = [['receipt-1', true], ['message-1', 'unmarked'], ['message-2', true], ['sealed-1', 'unmarked']];

    const live = connect('bob');
    submitAll();
    expect(marks(live.sent)).toEqual(expected);

    // The same from the mailbox: a new connection gets the unacknowledged envelopes again, read back from SQLite.
    const again = connect('bob');
    expect(marks(again.sent)).toEqual(expected);
  });
});
