/**
 * Verifiable user reports end to end: real clients with real encryption
 * through the real server in process. A recipient reports one message; the
 * server checks its own stamp and the sender's commitment, files the report,
 * and the operator's queue shows that message and nothing else. Each kind of
 * forgery is made by rewriting the report on its way out of a real client (so
 * every other field is genuine) and must be refused with its reason, filing
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeClient, isClientError, type FetchLike, MemoryStore } from '@envelope/client-core';
import { wireTap } from '@envelope/testkit/wire-tap.js';
import { type MessageId, ReportQueueSchema, type ReportRequestWire, SignalsResponseSchema, WarrantAnswerSchema } from '@envelope/protocol';
import { getJson, PATIENCE_MS, startInProcess } from '@envelope/testkit/harness.js';

const REPORTED = 'report me: meet me behind the gym, come alone';
const NOT_REPORTED = 'canary: this one nobody reports';

interface Person {
  client: EnvelopeClient;
  /** Rewrites the next report body on its way to the server (a forger's client). */
  tamper: ((body: ReportRequestWire) => ReportRequestWire) | null;
  /** Every report body this client sent, after any rewriting. */
  sentReports: ReportRequestWire[];
}

let env: Awaited<ReturnType<typeof startInProcess>>;
const people = new Map<string, Person>();

async function person(name: string): Promise<Person> {
  const tap = wireTap();
  const p: Person = { client: null as unknown as EnvelopeClient, tamper: null, sentReports: [] };
  const fetchWithTamper: FetchLike = (input, init) => {
    if (String(input).endsWith('/api/reports') && init?.body) {
      let body = JSON.parse(String(init.body)) as ReportRequestWire;
      if (p.tamper) body = p.tamper(body);
      p.sentReports.push(body);
      return globalThis.fetch(input, { ...init, body: JSON.stringify(body) });
    }
    return globalThis.fetch(input, init);
  };
  p.client = await EnvelopeClient.open({ serverUrl: env.url, store: new MemoryStore(), WebSocket: tap.WebSocket, fetch: fetchWithTamper });
  await p.client.register(name);
  const ready = p.client.whenReady(PATIENCE_MS);
  p.client.connect();
  await ready;
  people.set(name, p);
  return p;
}

/** Sends `text` from `from` to `to` and waits until `to` has read it; its envelope id. */
async function deliver(from: Person, to: Person, text: string): Promise<MessageId> {
  const received = new Promise<MessageId>((resolve) => {
    const off = to.client.events.on('message', (entry) => {
      if (entry.kind === 'text' && entry.text === text) {
        off();
        resolve(entry.id);
      }
    });
  });
  await from.client.send(to.client.account!.username, text);
  return received;
}

async function rejection(p: Person, id: MessageId): Promise<string> {
  try {
    await p.client.report(id, 'harassment');
  } catch (error) {
    if (isClientError(error, 'REPORT_REJECTED')) return error.message;
    throw error;
  }
  throw new Error('the report was accepted');
}

const queue = async () => ReportQueueSchema.parse((await getJson(`${env.url}/api/operator/reports`, env.server.operatorToken)).json);

let alice: Person;
let bob: Person;
let carol: Person;
let reportedId: MessageId;
let otherId: MessageId;
let carolsId: MessageId;

beforeAll(async () => {
  env = await startInProcess();
  alice = await person('alice');
  bob = await person('bob');
  carol = await person('carol');
  reportedId = await deliver(alice, bob, REPORTED);
  otherId = await deliver(alice, bob, NOT_REPORTED);
  carolsId = await deliver(alice, carol, 'hello carol');
});
afterAll(async () => {
  for (const p of people.values()) await p.client.close();
  await env.close();
});

describe('verifiable user reports', () => {
  it('a forged report is refused with its reason and files nothing', async () => {
    const forgeries: [string, (body: ReportRequestWire) => ReportRequestWire, RegExp][] = [
      ['altered text', (b) => ({ ...b, text: `${b.text} (and bring money)` }), /not what the sender committed to/],
      ['another sender', (b) => ({ ...b, sender: 'carol' }), /stamp is not this server's/],
      ['another time', (b) => ({ ...b, sentAt: b.sentAt - 60_000 }), /stamp is not this server's/],
      ['another message id', (b) => ({ ...b, messageId: otherId }), /stamp is not this server's/],
      ['a stamp not the server’s', (b) => ({ ...b, stamp: Buffer.alloc(32, 7).toString('base64url') }), /stamp is not this server's/],
      ['a franking key that does not open the commitment', (b) => ({ ...b, frankingKey: Buffer.alloc(32, 9).toString('base64url') }), /not what the sender committed to/],
      ['a sealed-sender claim on an ordinary message', (b) => ({ ...b, sealedSender: true }), /stamp is not this server's/],
    ];
    for (const [what, tamper, reason] of forgeries) {
      bob.tamper = tamper;
      expect(await rejection(bob, reportedId), what).toMatch(reason);
    }
    bob.tamper = null;
    expect(await queue()).toEqual({ total: 0, reports: [] });
  });

  it('a report of a message sent to someone else is refused, even with its genuine opening', async () => {
    // Bob's genuine report, replayed by carol from her own account.
    bob.tamper = null;
    const genuine = (await bob.client.report(otherId, 'spam').then(() => bob.sentReports.at(-1)))!;
    carol.tamper = () => genuine;
    expect(await rejection(carol, carolsId)).toMatch(/stamp is not this server's/);
    carol.tamper = null;
    const { reports } = await queue();
    expect(reports.map((r) => r.reporter)).toEqual(['bob']);
  });

  it('a valid report is filed once; the operator sees that message and nothing else of the conversation', async () => {
    const filed = await bob.client.report(reportedId, 'harassment');
    expect(filed).toMatchObject({ messageId: reportedId, sender: 'alice', senderVerified: true, duplicate: false });
    const again = await bob.client.report(reportedId, 'harassment');
    expect(again).toMatchObject({ id: filed.id, duplicate: true });

    const { total, reports } = await queue();
    expect(total).toBe(2);
    const report = reports.find((r) => r.messageId === reportedId)!;
    expect(report).toMatchObject({ sender: 'alice', senderVerified: true, reporter: 'bob', reason: 'harassment', text: REPORTED });
    expect(JSON.stringify(reports)).not.toContain('hello carol');

    const conversation = await bob.client.conversation('alice');
    expect(conversation.find((e) => e.id === reportedId)?.reported).toMatchObject({ reportId: filed.id, reason: 'harassment' });
  });

  it("the warrant answer for the sender carries the verified reports, and no other message's text", async () => {
    const answer = WarrantAnswerSchema.parse((await getJson(`${env.url}/api/operator/warrant/alice`, env.server.operatorToken)).json);
    expect(answer.verifiedReports.total).toBe(2);
    expect(answer.verifiedReports.reports.map((r) => r.text).sort()).toEqual([NOT_REPORTED, REPORTED].sort());
    expect(JSON.stringify(answer)).not.toContain('hello carol');
    const carolsAnswer = WarrantAnswerSchema.parse((await getJson(`${env.url}/api/operator/warrant/carol`, env.server.operatorToken)).json);
    expect(carolsAnswer.verifiedReports).toEqual({ total: 0, reports: [] });
  });

  it('the queue needs the operator token, and a report needs a signed-in recipient', async () => {
    expect((await getJson(`${env.url}/api/operator/reports`)).status).toBe(401);
    const response = await fetch(`${env.url}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bob.sentReports.at(-1)) });
    expect(response.status).toBe(401);
  });

  it('a message that was not received here cannot be reported', async () => {
    let code: string | undefined;
    await alice.client.report(reportedId).catch((error: unknown) => {
      code = isClientError(error) ? error.code : String(error);
    });
    expect(code).toBe('NOT_REPORTABLE');
  });

  it('"many user reports" flags the sender once three different people have reported it, with the reported envelopes as evidence', async () => {
    const signals = async () => {
      const { json } = await getJson(`${env.url}/api/operator/signals`, env.server.operatorToken);
      return SignalsResponseSchema.parse(json).detectors.find((d) => d.id === 'user-reports')!;
    };
    expect((await signals()).flagged).toEqual([]); // bob alone, however many messages he reports
    await carol.client.report(carolsId, 'spam');
    const dave = await person('dave');
    const davesId = await deliver(alice, dave, 'hello dave');
    await dave.client.report(davesId, 'threat');
    const detector = await signals();
    expect(detector.flagged.map((f) => [f.account, f.summary])).toEqual([['alice', "3 different people reported 4 of this account's messages"]]);
    expect(detector.flagged[0]!.evidence.map((e) => e.messageId).sort()).toEqual([reportedId, otherId, carolsId, davesId].sort());
    // The same answer after a rescan from storage (signals survive a restart).
    const { json } = await getJson(`${env.url}/api/operator/signals?rescan=1`, env.server.operatorToken);
    expect(SignalsResponseSchema.parse(json).detectors.find((d) => d.id === 'user-reports')!.flagged).toEqual(detector.flagged);
  });
});
