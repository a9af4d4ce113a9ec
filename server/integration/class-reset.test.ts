/**
 * Resetting the class on the real server (in process, real SQLite file, real
 * clients with real encryption): a class that went through every mode (e2ee,
 * key escrow, transport-only with an intercept warrant, a report, a message
 * waiting unread) is reset, and afterwards nothing it wrote can be found: not
 * in any table, not in the SQLite file's free pages or its write-ahead log,
 * not in any file of DATA_DIR, and the escrow key's share files are gone. Live
 * clients are told (CLASS_RESET) and stop; the operator stream says so; the
 * mode is e2ee again. Only the operator may ask, and only with the confirmation.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isClientError, type EnvelopeClient, MemoryStore } from '@envelope/client-core';
import { ClassActivitySchema, ClassCountsSchema, ClassResetAnswerSchema, EnvelopeLogExportSchema, PolicyAnnouncementSchema } from '@envelope/protocol';
import { liveClients } from '@envelope/testkit/live-clients.js';
import { getJson, postJson, StreamReader } from '@envelope/testkit/harness.js';
import { wireTap } from '@envelope/testkit/wire-tap.js';
import { agencyToken, allDelivered, leaksOf, person, setPolicyMode } from './testing.js';

const live = liveClients();

const E2EE_TEXT = 'plain old e2ee hello from alice';
const ESCROWED_TEXT = 'escrowed: the river crossing at dawn';
const READ_TEXT = 'transport-only secret: the vault code is 4711-swordfish';
const WAITING_TEXT = 'waiting unread for carol: the key is under the blue pot';
const TEXTS = [E2EE_TEXT, ESCROWED_TEXT, READ_TEXT, WAITING_TEXT];
/** Tables a reset keeps: the mode (set back to e2ee), the operator's scanner rules, SQLite's id counters. */
const KEPT_TABLES = ['policy', 'scanner_rules', 'sqlite_sequence'];

/** Every file under `dir`, read as latin1 (bytes as they lie on disk). */
function filesUnder(dir: string): { path: string; bytes: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, bytes: readFileSync(path).toString('latin1') }];
  });
}

/** Each text of `texts` found in some file under `dir` (in any encoding leaksOf knows), as "file: form". */
function leaksUnder(dir: string, texts: readonly string[]): string[] {
  return filesUnder(dir).flatMap(({ path, bytes }) => texts.flatMap((text) => leaksOf(text, bytes).map((form) => `${path}: ${form}`)));
}

function tableCounts(db: import('better-sqlite3').Database): Record<string, number> {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  return Object.fromEntries(tables.map(({ name }) => [name, db.prepare<[], number>(`SELECT count(*) FROM ${name}`).pluck().get()!]));
}

async function deliveredTo(client: EnvelopeClient, from: string, text: string) {
  const entry = (await client.conversation(from)).find((e) => e.text === text);
  if (!entry) throw new Error(`${text} did not reach the recipient`);
  return entry;
}

describe('resetting the class', () => {
  it('deletes everything a class leaves, scrubs it from the SQLite file, its WAL and DATA_DIR, returns to e2ee and tells live clients', async () => {
    const server = await live.server();
    const url = server.url;
    const token = server.server.operatorToken;
    const dataDir = server.config.dataDir;
    const stream = await StreamReader.open(url, token);

    const alice = await person(live, server, 'alice');
    const bob = await person(live, server, 'bob');
    await alice.send('bob', E2EE_TEXT);
    await allDelivered(alice, 'bob');

    await setPolicyMode(url, token, 'key-escrow');
    await alice.send('bob', ESCROWED_TEXT);
    await allDelivered(alice, 'bob');
    expect(existsSync(join(dataDir, 'escrow-shares'))).toBe(true);

    await setPolicyMode(url, token, 'transport-only');
    const warrant = await postJson(`${url}/api/agency/warrants`, { target: 'bob', reference: 'court order 17' }, agencyToken(server));
    expect(warrant.status).toBe(201);
    await alice.send('bob', READ_TEXT);
    await allDelivered(alice, 'bob');
    await bob.report((await deliveredTo(bob, 'alice', READ_TEXT)).id, 'other');
    // Carol joined but is not connected: her message waits in the mailbox, opened (transport-only).
    const carol = await live.open({ serverUrl: url, store: new MemoryStore(), WebSocket: wireTap().WebSocket }, 'carol');
    await alice.send('carol', WAITING_TEXT);
    expect(server.server.db.prepare("SELECT count(*) FROM mailbox WHERE recipient = 'carol'").pluck().get()).toBeGreaterThan(0);
    expect((await postJson(`${url}/api/operator/scanner/rules`, { kind: 'word', pattern: 'vault', label: 'kept rule' }, token)).status).toBe(201);
    expect((await getJson(`${url}/api/operator/warrant/bob`, token)).status).toBe(200);

    // The texts really are on disk now (the search below can find them), and the operator can keep the log first.
    expect(leaksUnder(dataDir, [READ_TEXT])).not.toEqual([]);
    const exported = await fetch(`${url}/api/operator/envelopes/export`, { headers: { authorization: `Bearer ${token}` } });
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="?envelope-log-\d{4}-\d{2}-\d{2}\.json"?$/);
    const log = EnvelopeLogExportSchema.parse(await exported.json());
    expect(log.total).toBe(log.envelopes.length);
    expect(log.envelopes.length).toBe(tableCounts(server.server.db).metadata_log);

    // What a reset would delete, for the confirmation.
    const counts = ClassCountsSchema.parse((await getJson(`${url}/api/operator/class`, token)).json);
    expect(counts).toMatchObject({ accounts: 3, devices: 3, reports: 1, readMessages: expect.any(Number), interceptWarrants: 1, escrowKeyFiles: true, mode: 'transport-only' });
    expect(counts.readMessages).toBeGreaterThan(0);
    expect(counts.escrowedMessages).toBeGreaterThan(0);
    expect(counts.interceptCopies).toBeGreaterThan(0);
    expect(counts.waitingEnvelopes).toBeGreaterThan(0);
    expect(counts.loggedEnvelopes).toBe(log.envelopes.length);

    // Without the token, or without the exact confirmation: refused as problems, and nothing deleted.
    const before = tableCounts(server.server.db);
    for (const [status, response] of [
      [401, await getJson(`${url}/api/operator/class`)],
      [401, await postJson(`${url}/api/operator/class/reset`, { confirm: 'reset the class' })],
      [401, await postJson(`${url}/api/operator/class/reset`, { confirm: 'reset the class' }, 'not-the-operator-token')],
      [401, await getJson(`${url}/api/operator/envelopes/export`)],
      [400, await postJson(`${url}/api/operator/class/reset`, {}, token)],
      [400, await postJson(`${url}/api/operator/class/reset`, { confirm: 'yes' }, token)],
      [400, await postJson(`${url}/api/operator/class/reset`, { confirm: 'reset the class', everything: true }, token)],
    ] as const) {
      expect(response.status).toBe(status);
      expect(response.json).toMatchObject({ status, code: status === 401 ? 'UNAUTHORIZED' : 'BAD_REQUEST', title: expect.any(String) });
    }
    expect(tableCounts(server.server.db)).toEqual(before);

    const told = (client: EnvelopeClient) =>
      new Promise<void>((resolve) => {
        const off = client.events.on('error', (error) => {
          if (isClientError(error, 'CLASS_RESET')) {
            off();
            resolve();
          }
        });
      });
    const aliceTold = told(alice);
    const bobTold = told(bob);
    const reset = await postJson(`${url}/api/operator/class/reset`, { confirm: 'reset the class' }, token);
    expect(reset.status).toBe(200);
    const answer = ClassResetAnswerSchema.parse(reset.json);
    expect(answer.deleted).toEqual(counts);
    expect(answer.mode).toBe('e2ee');
    expect(answer.scrubbed).toBe(true);
    await Promise.all([aliceTold, bobTold]);
    expect(alice.status).toBe('offline');

    // Every table is empty but the kept ones; the mode is e2ee, recorded as the reset's doing.
    const after = tableCounts(server.server.db);
    for (const [table, rows] of Object.entries(after)) {
      if (!KEPT_TABLES.includes(table) && table !== 'policy_changes') expect({ table, rows }).toEqual({ table, rows: 0 });
    }
    expect(server.server.db.prepare('SELECT mode, via FROM policy_changes').all()).toEqual([{ mode: 'e2ee', via: 'reset' }]);
    expect(server.server.db.prepare('SELECT kind, pattern, label FROM scanner_rules').all()).toEqual([{ kind: 'word', pattern: 'vault', label: 'kept rule' }]);
    expect(PolicyAnnouncementSchema.parse((await getJson(`${url}/api/policy`)).json)).toMatchObject({ mode: 'e2ee', exposure: { messages: 0, people: 0 } });
    expect(ClassCountsSchema.parse((await getJson(`${url}/api/operator/class`, token)).json)).toMatchObject({ accounts: 0, escrowKeyFiles: false, mode: 'e2ee' });

    // Nothing of what anyone wrote is left in any file: the database, its WAL, or anything else in DATA_DIR.
    expect(leaksUnder(dataDir, TEXTS)).toEqual([]);
    expect(existsSync(join(dataDir, 'escrow-shares'))).toBe(false);
    expect(existsSync(join(dataDir, 'escrow-public.json'))).toBe(false);

    // The operator stream said who joined, the report, the warrant answer and the reset, as activity.
    await stream.until(() => stream.events.some((e) => e.type === 'activity' && JSON.parse(e.data).kind === 'class-reset'), 'the reset on the stream');
    const activity = stream.events.filter((e) => e.type === 'activity').map((e) => ClassActivitySchema.parse(JSON.parse(e.data)));
    expect(activity.map((a) => a.kind)).toEqual(['joined', 'joined', 'reported', 'joined', 'warrant-answered', 'class-reset']);
    expect(activity.filter((a) => a.kind === 'joined').map((a) => a.username)).toEqual(['alice', 'bob', 'carol']);

    // The next class starts over: the name is free again, and key escrow makes a new key.
    await carol.close();
    const again = await person(live, server, 'alice');
    expect(again.account?.username).toBe('alice');
  });
});
