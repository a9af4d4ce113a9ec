/**
 * The lawful-intercept console and its costs, on a real server in-process
 * over a real SQLite file, with transport-only messages sealed to the
 * server's transport key and sent as raw frames (what a client in that mode
 * sends): prospective copy only from the warrant on, the retained past, an
 * audit line for each access, the insider who leaves none while the target
 * sees nothing different, a foreign request that reads what a lawful one
 * reads, the breach's counts, and two tokens that open nothing of each other.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, utf8Encode } from '@envelope/crypto-public';
import { sealToServer } from '@envelope/crypto';
import {
  AuditLogSchema,
  BreachExportSchema,
  encodeTransportPayload,
  InsiderResultSchema,
  InterceptQueueSchema,
  InterceptWarrantSchema,
  RetrospectiveSchema,
  WarrantListSchema,
  type ServerFrame,
} from '@envelope/protocol';
import { agencyCli, cli } from '@envelope/testkit/cli.js';
import { getJson, postJson, randomMessageId, RawSocket, register, REPO_ROOT, startInProcess, tempDataDir, type RegisteredDevice } from '@envelope/testkit/harness.js';
import { AGENCY_EXIT } from '@envelope/cli/agency.js';
import { loadConfig } from '@envelope/server/config.js';
import { AGENCY_TOKEN_FILE } from './intercept-token.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
let transportKey: Uint8Array;
const people: Record<string, RegisteredDevice> = {};
const sockets: Record<string, RawSocket> = {};
/** What this file sent readably, for the breach's counts. */
const sentReadable: { from: string; to: string; text: string }[] = [];
let sentE2ee = 0;

/** A text message as a client's message codec writes it (message-codec.ts), sealed to the transport key. */
function transportBody(text: string): string {
  const message = utf8Encode(JSON.stringify({ v: 1, kind: 'text', text, sentAt: Date.now(), fk: toBase64Url(new Uint8Array(32).fill(1)) }));
  return toBase64Url(sealToServer(transportKey, encodeTransportPayload({ certificate: null, message })));
}

async function sendReadable(from: string, to: string, text: string): Promise<string> {
  const id = randomMessageId();
  sockets[from]!.send({ type: 'send', id, to, toDevice: 1, body: transportBody(text), mode: 'transport-only' });
  const answer = await sockets[from]!.next((f) => (f.type === 'stored' || f.type === 'error') && (f as { id?: string }).id === id);
  expect(answer.type, JSON.stringify(answer)).toBe('stored');
  sentReadable.push({ from, to, text });
  return id;
}

/** An end-to-end envelope (bytes the server has no key for), left waiting in the recipient's mailbox. */
async function sendE2ee(from: string, to: string): Promise<void> {
  const id = randomMessageId();
  sockets[from]!.send({ type: 'send', id, to, toDevice: 1, body: toBase64Url(new Uint8Array(300).fill(9)) });
  await sockets[from]!.next((f) => f.type === 'stored' && f.id === id);
  sentE2ee += 1;
}

/** The message frame `to` receives for envelope `id`. */
const delivered = (to: string, id: string) => sockets[to]!.next((f) => f.type === 'message' && f.id === id);

const agency = () => env.server.agencyToken;
const get = (path: string, token: string | undefined = agency()) => getJson(`${env.url}${path}`, token);
const post = (path: string, body: unknown, token: string | undefined = agency()) => postJson(`${env.url}${path}`, body, token);
const del = async (path: string, token = agency()) => {
  const response = await fetch(`${env.url}${path}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, json: await response.json() };
};

async function openWarrant(target: string, reference: string) {
  const { status, json } = await post('/api/agency/warrants', { target, reference });
  expect(status, JSON.stringify(json)).toBe(201);
  return InterceptWarrantSchema.parse(json);
}

async function queueTexts(warrantId: number): Promise<(string | null)[]> {
  const { status, json } = await get(`/api/agency/warrants/${warrantId}/queue`);
  expect(status).toBe(200);
  return InterceptQueueSchema.parse(json).messages.map((m) => m.text);
}

async function auditLines() {
  const { status, json } = await get('/api/agency/audit');
  expect(status).toBe(200);
  return AuditLogSchema.parse(json);
}

beforeAll(async () => {
  env = await startInProcess({}, { POLICY_MODE: 'transport-only' });
  const policy = await getJson(`${env.url}/api/policy`);
  transportKey = fromBase64Url(policy.json.transportKey, 'transportKey', 32);
  for (const name of ['alice', 'bob', 'carol', 'dave']) {
    people[name] = await register(env.url, name);
    sockets[name] = await RawSocket.authenticated(env.url, people[name]!);
  }
});
afterAll(async () => {
  for (const socket of Object.values(sockets)) socket.close();
  await env.close();
});

describe('the agency token', () => {
  it('is its own: 401 without it, and the operator token and the agency token open nothing of each other', async () => {
    expect(agency()).not.toBe(env.server.operatorToken);
    expect((await getJson(`${env.url}/api/agency/warrants`)).status).toBe(401);
    const withOperator = await get('/api/agency/warrants', env.server.operatorToken);
    expect(withOperator.status).toBe(401);
    expect(withOperator.json.code).toBe('UNAUTHORIZED');
    expect((await post('/api/agency/warrants', { target: 'bob', reference: 'x' }, env.server.operatorToken)).status).toBe(401);
    expect((await get('/api/operator/breach', agency())).status).toBe(401);
    expect((await get('/api/operator/envelopes', agency())).status).toBe(401);
    expect((await get('/api/agency/warrants')).status).toBe(200);
  });

  it('can be fixed by AGENCY_TOKEN=, checked like OPERATOR_TOKEN and never equal to it', async () => {
    expect(() => loadConfig({ AGENCY_TOKEN: 'short' })).toThrow(/AGENCY_TOKEN must be 16 to 128/);
    expect(() => loadConfig({ AGENCY_TOKEN: 'x'.repeat(20), OPERATOR_TOKEN: 'x'.repeat(20) })).toThrow(/must differ/);
    const fixed = await startInProcess({}, { AGENCY_TOKEN: 'agency-token-for-the-test' });
    try {
      expect(fixed.server.agencyToken).toBe('agency-token-for-the-test');
      expect((await getJson(`${fixed.url}/api/agency/audit`, 'agency-token-for-the-test')).status).toBe(200);
    } finally {
      await fixed.close();
    }
  });

  it('is kept in a file of its own in DATA_DIR, readable by the server only', () => {
    expect(statSync(join(env.config.dataDir, AGENCY_TOKEN_FILE)).mode & 0o777).toBe(0o600);
  });
});

describe('warrants: prospective and retrospective access', () => {
  it('copies only what is sent after the warrant, to or from the target, and the retained past holds the rest', async () => {
    await sendReadable('alice', 'bob', 'before the warrant');
    const warrant = await openWarrant('bob', 'court order 2026-17');
    expect(warrant).toMatchObject({ target: 'bob', reference: 'court order 2026-17', requestedBy: 'agency', endedAt: null, copied: 0 });

    const toBob = await sendReadable('alice', 'bob', 'after the warrant');
    await delivered('bob', toBob);
    await sendReadable('bob', 'carol', 'a reply from the target');
    await sendReadable('carol', 'dave', 'nothing to do with the target');
    await sendE2ee('alice', 'bob');

    expect(await queueTexts(warrant.id)).toEqual(['after the warrant', 'a reply from the target']);
    const listed = WarrantListSchema.parse((await get('/api/agency/warrants')).json).warrants.find((w) => w.id === warrant.id);
    expect(listed?.copied).toBe(2);

    const past = RetrospectiveSchema.parse((await get('/api/agency/retrospective/bob')).json);
    expect(past.messages.map((m) => m.text)).toEqual(['before the warrant', 'after the warrant', 'a reply from the target']);
    expect(past.total).toBe(3);
    expect(past.messages[0]).toMatchObject({ sender: 'alice', recipient: 'bob', kind: 'text' });

    // Ended: nothing more is copied.
    expect((await del(`/api/agency/warrants/${warrant.id}`)).json.endedAt).toEqual(expect.any(Number));
    await sendReadable('alice', 'bob', 'after the warrant ended');
    expect(await queueTexts(warrant.id)).toEqual(['after the warrant', 'a reply from the target']);
  });

  it('pages the queue: only rows after `after`, and a read that hands nothing over is not an access', async () => {
    const warrant = await openWarrant('dave', 'case 9');
    await sendReadable('carol', 'dave', 'first for dave');
    const first = InterceptQueueSchema.parse((await get(`/api/agency/warrants/${warrant.id}/queue`)).json);
    const before = (await auditLines()).total;
    const empty = InterceptQueueSchema.parse((await get(`/api/agency/warrants/${warrant.id}/queue?after=${first.messages[0]!.queueId}`)).json);
    expect(empty.messages).toEqual([]);
    expect(empty.total).toBe(1);
    expect((await auditLines()).total).toBe(before);
    await del(`/api/agency/warrants/${warrant.id}`);
  });

  it('writes an audit line for every access and change', async () => {
    const start = (await auditLines()).total;
    const warrant = await openWarrant('carol', 'case 12');
    await sendReadable('dave', 'carol', 'for the audit');
    await queueTexts(warrant.id);
    await get('/api/agency/retrospective/carol');
    await del(`/api/agency/warrants/${warrant.id}`);
    const log = await auditLines();
    expect(log.total).toBe(start + 4);
    expect(log.lines.slice(0, 4).reverse()).toEqual([
      expect.objectContaining({ actor: 'agency', action: 'warrant-opened', target: 'carol', detail: expect.stringContaining('case 12') }),
      expect.objectContaining({ actor: 'agency', action: 'queue-read', target: 'carol', detail: expect.stringContaining('1 copied message') }),
      expect.objectContaining({ actor: 'agency', action: 'retrospective-read', target: 'carol' }),
      expect.objectContaining({ actor: 'agency', action: 'warrant-ended', target: 'carol' }),
    ]);
  });

  it('answers an unknown target or warrant with 404, and a bad body with a 400 problem', async () => {
    const unknown = await post('/api/agency/warrants', { target: 'nobody', reference: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: 'NOT_FOUND', detail: expect.stringContaining('nobody') });
    expect((await get('/api/agency/retrospective/nobody')).status).toBe(404);
    expect((await get('/api/agency/warrants/99999/queue')).status).toBe(404);
    expect((await get('/api/agency/warrants/abc/queue')).status).toBe(404);
    expect((await del('/api/agency/warrants/99999')).status).toBe(404);
    for (const body of [{ target: 'bob' }, { target: 'bob', reference: '' }, { target: 'bob', reference: 'x'.repeat(201) }, { target: 'bob', reference: 'a\nb' }, { target: 'bob', reference: 'x', extra: 1 }]) {
      const bad = await post('/api/agency/warrants', body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.json.code).toBe('BAD_REQUEST');
    }
    expect((await post('/api/agency/insider', { target: 'bob', reference: 'x' })).status).toBe(400);
  });
});

describe('what the console costs', () => {
  it('a foreign or abusive request reads exactly what a lawful one reads: the console cannot tell them apart', async () => {
    const lawful = await openWarrant('carol', 'court order 2026-31');
    const none = await openWarrant('carol', 'none');
    const foreign = await openWarrant('carol', 'a foreign intelligence service');
    await sendReadable('alice', 'carol', 'read by all three');
    const texts = await Promise.all([lawful, none, foreign].map((w) => queueTexts(w.id)));
    expect(texts[0]).toEqual(['read by all three']);
    expect(texts[1]).toEqual(texts[0]);
    expect(texts[2]).toEqual(texts[0]);
    for (const w of [lawful, none, foreign]) await del(`/api/agency/warrants/${w.id}`);
  });

  it('the insider (Athens 2004-05): a target with no warrant, no audit line, nothing different at the target, yet the queue fills', async () => {
    const beforeTap = await sendReadable('alice', 'dave', 'before the tap');
    const frameBefore = await delivered('dave', beforeTap);
    sockets.dave!.frames.length = 0;
    const auditBefore = await auditLines();

    const { status, json } = await post('/api/agency/insider', { target: 'dave' });
    expect(status).toBe(201);
    const insider = InsiderResultSchema.parse(json);
    expect(insider.warrant).toMatchObject({ target: 'dave', reference: null, requestedBy: 'insider' });
    expect(insider.auditLinesAfter).toBe(insider.auditLinesBefore);

    const afterTap = await sendReadable('alice', 'dave', 'after the tap');
    const frameAfter = await delivered('dave', afterTap);
    // The target's device got nothing but the message, in the same shape as before the tap.
    expect(sockets.dave!.frames).toEqual([]);
    expect(shape(frameAfter)).toEqual(shape(frameBefore));

    // The audit log is exactly as it was; the queue has the message.
    expect(await auditLines()).toEqual(auditBefore);
    expect(await queueTexts(insider.warrant.id)).toEqual(['after the tap']);
    await del(`/api/agency/warrants/${insider.warrant.id}`);
  });

  it('a breach: one operator action returns every readable message of everyone, with counts that match what was sent', async () => {
    // A delivery receipt the server read: counted apart, not as anyone's message.
    const receiptId = randomMessageId();
    const receipt = utf8Encode(JSON.stringify({ v: 1, kind: 'receipt', sentAt: Date.now(), ids: [randomMessageId()] }));
    sockets.bob!.send({ type: 'send', id: receiptId, to: 'alice', toDevice: 1, receipt: true, mode: 'transport-only', body: toBase64Url(sealToServer(transportKey, encodeTransportPayload({ certificate: null, message: receipt }))) });
    expect((await sockets.bob!.next((f) => (f.type === 'stored' || f.type === 'error') && (f as { id?: string }).id === receiptId)).type).toBe('stored');
    const { status, json } = await get('/api/operator/breach', env.server.operatorToken);
    expect(status).toBe(200);
    const breach = BreachExportSchema.parse(json);
    const names = new Set(sentReadable.flatMap((m) => [m.from, m.to]));
    expect(breach.messages).toBe(sentReadable.length);
    expect(breach.controlMessages).toBe(1);
    expect(breach.people).toBe(names.size);
    expect(breach.fromContentLog).toBe(sentReadable.length + 1);
    // Raw sockets never acknowledge: every readable message is also still waiting in a mailbox, read there too.
    expect(breach.fromMailbox).toBe(sentReadable.length + 1);
    expect(breach.unreadableEnvelopes).toBe(sentE2ee);
    expect(new Set(breach.sample.map((m) => m.text))).toEqual(new Set(sentReadable.map((m) => m.text)));
    expect(breach.transportKeyFile.exists).toBe(true);
    expect(breach.files.map((f) => f.name)).toContain(breach.transportKeyFile.name);
    expect(breach.peopleList.map((p) => p.username).sort()).toEqual([...names].sort());
  });
});

/** The agency CLI run in this process (shared/testkit/cli.ts). */
const agencyCliHere = (...args: string[]) => agencyCli(env.url, { agency: agency(), operator: env.server.operatorToken }, ...args);

describe('npm run agency', () => {
  it('prints JSON lines for each command: warrant, queue, past, audit, insider, breach', async () => {
    const warrant = await agencyCliHere('warrant', 'alice', '--reference', 'order 77');
    expect(warrant.code, warrant.stderr).toBe(0);
    expect(warrant.lines).toEqual([expect.objectContaining({ type: 'warrant', target: 'alice', reference: 'order 77' })]);
    const id = String(warrant.lines[0]!.id);
    await sendReadable('bob', 'alice', 'seen by the cli');

    const queue = await agencyCliHere('queue', id);
    expect(queue.lines).toEqual([
      expect.objectContaining({ type: 'copied', text: 'seen by the cli', sender: 'bob', recipient: 'alice' }),
      expect.objectContaining({ type: 'queue', shown: 1, total: 1 }),
    ]);
    const past = await agencyCliHere('past', 'alice');
    expect(past.lines.at(-1)).toMatchObject({ type: 'past', target: 'alice' });
    expect(past.lines.filter((l) => l.type === 'retained').map((l) => l.text)).toContain('seen by the cli');
    const audit = await agencyCliHere('audit');
    expect(audit.lines[0]).toMatchObject({ type: 'audit', action: 'retrospective-read', target: 'alice' });
    const insider = await agencyCliHere('insider', 'carol');
    expect(insider.lines).toEqual([expect.objectContaining({ type: 'insider', warrant: expect.objectContaining({ target: 'carol', reference: null }) })]);
    const breach = await agencyCliHere('breach');
    expect(breach.lines[0]).toMatchObject({ type: 'breach', messages: sentReadable.length });
    expect(breach.lines.slice(1).every((l) => l.type === 'stolen')).toBe(true);
    for (const w of [id, String((insider.lines[0]!.warrant as { id: number }).id)]) expect((await agencyCliHere('end', w)).code).toBe(0);
  });

  it('runs as its own process (npm run agency): JSON lines on stdout, exit code 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'client/cli/agency-main.ts', '--server', env.url, 'warrants'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ENVELOPE_AGENCY_TOKEN: agency() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.type === 'warrant')).toBe(true);
  });

  it('says what went wrong with an exit code: usage, unknown account, refused token', async () => {
    expect((await agencyCliHere('warrant', 'alice')).code).toBe(AGENCY_EXIT.USAGE);
    expect((await agencyCliHere('queue', 'x')).code).toBe(AGENCY_EXIT.USAGE);
    const unknown = await agencyCliHere('past', 'nobody');
    expect(unknown.code).toBe(AGENCY_EXIT.NOT_FOUND);
    expect(unknown.stderr).toContain('nobody');
    expect((await agencyCliHere('audit', `--token=${env.server.operatorToken}`)).code).toBe(AGENCY_EXIT.REFUSED);
    expect((await agencyCliHere('breach', `--operator-token=${agency()}`)).code).toBe(AGENCY_EXIT.REFUSED);
    // A token is base64url: one in 64 starts with "-", which is still a value, not an option.
    expect((await agencyCliHere('audit', '--token', '-not-the-agency-token')).code).toBe(AGENCY_EXIT.REFUSED);
  });
});

/** A frame with what differs per message (ids, times, bytes) replaced by its kind. */
function shape(frame: ServerFrame): Record<string, string> {
  return Object.fromEntries(Object.entries(frame).map(([key, value]) => [key, key === 'type' || key === 'mode' ? String(value) : typeof value]));
}

describe('sealed sender under transport-only', () => {
  it('hides nothing from the console: a warrant on the sender copies a sealed message, the sender read from its certificate', async () => {
    const profiles = tempDataDir();
    const run = async (name: string, ...args: string[]) => {
      const result = await cli(env.url, join(profiles, name), ...args);
      expect(result.code, result.stderr).toBe(0);
      return result;
    };
    await run('erin', 'register', 'erin');
    await run('frank', 'register', 'frank');
    // Frank writes first, so Erin may seal to him (sealed sender goes only to people who wrote to you). Under
    // e2ee: a first transport-only message from a stranger leaves no contact to keep the profile key in.
    const setMode = (mode: string) => post('/api/operator/policy', { mode }, env.server.operatorToken).then((r) => expect(r.status).toBe(200));
    await setMode('e2ee');
    await run('frank', 'send', 'erin', 'hello erin');
    await run('erin', 'receive');
    await setMode('transport-only');
    await run('erin', 'sealed-sender', 'on');
    const warrant = await openWarrant('erin', 'order 88');
    await run('erin', 'send', 'frank', 'sealed, and read all the same');

    const queue = InterceptQueueSchema.parse((await get(`/api/agency/warrants/${warrant.id}/queue`)).json);
    expect(queue.messages).toEqual([expect.objectContaining({ sender: 'erin', recipient: 'frank', text: 'sealed, and read all the same' })]);
    // The metadata log has no sender for it: sealing hid the name from the envelope, not from a server that reads content.
    const envelopes = (await get('/api/operator/envelopes?limit=5', env.server.operatorToken)).json.envelopes as { messageId: string; sender: string | null }[];
    expect(envelopes.find((e) => e.messageId === queue.messages[0]!.messageId)?.sender).toBeNull();
    await del(`/api/agency/warrants/${warrant.id}`);
  });
});
