/**
 * Nobody can fill a mailbox anonymously: a sealed envelope (POST /api/sealed,
 * no token) is stored only if it carries the recipient's unidentified access
 * key (server/domain/sealed-access.ts), and envelopes nobody collects expire
 * after MAILBOX_RETENTION_DAYS. The real server in process, real SQLite, raw
 * HTTP as an attacker would send it (the server never opens a body, so junk
 * bytes are as good as a real sealed envelope here).
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url, cryptoReady, randomBytes } from '@envelope/crypto-public';
import { makeDevice } from '@envelope/testkit/crypto-fixtures.js';
import { UNIDENTIFIED_ACCESS_HEADER } from '@envelope/protocol';
import { DEFAULT_RELAY_OPTIONS } from '../domain/relay-types.js';
import { getJson, postJson, randomMessageId, registrationBody, startInProcess } from '@envelope/testkit/harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** What one address could get stored before the fix: 1,500 junk envelopes (568–585 were stored in two runs). */
const FLOOD = 1_500;
const JUNK_BODY = toBase64Url(Uint8Array.of(0x03, ...new Uint8Array(299).fill(7)));

type Env = Awaited<ReturnType<typeof startInProcess>>;

/** Registers `username` over raw HTTP, with `accessKey` in the registration body if given. */
async function registerRaw(env: Env, username: string, accessKey?: Uint8Array): Promise<{ token: string }> {
  const challenge = await postJson(`${env.url}/api/auth/challenge`, {});
  const extra = accessKey ? { accessKey: toBase64Url(accessKey) } : {};
  const { status, json } = await postJson(`${env.url}/api/accounts`, registrationBody(makeDevice({ oneTimePreKeys: 1, oneTimeKemPreKeys: 1 }), username, challenge.json.challenge, extra));
  expect(status).toBe(201);
  return { token: json.token };
}

async function postSealed(env: Env, to: string, accessKey?: Uint8Array | string): Promise<{ status: number; code?: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (accessKey !== undefined) headers[UNIDENTIFIED_ACCESS_HEADER] = typeof accessKey === 'string' ? accessKey : toBase64Url(accessKey);
  const response = await fetch(`${env.url}/api/sealed`, { method: 'POST', headers, body: JSON.stringify({ id: randomMessageId(), to, toDevice: 1, body: JUNK_BODY }) });
  const json = (await response.json()) as { code?: string };
  return { status: response.status, code: json.code };
}

function stored(env: Env, recipient: string): { mailbox: number; log: number } {
  env.server.relay.flush();
  const db = new Database(env.server.databasePath, { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get(recipient) as { n: number }).n;
    return { mailbox: count('SELECT count(*) AS n FROM mailbox WHERE recipient = ?'), log: count('SELECT count(*) AS n FROM metadata_log WHERE recipient = ?') };
  } finally {
    db.close();
  }
}

beforeAll(cryptoReady);

describe('sealed envelopes need the recipient’s access key', () => {
  let env: Env;
  const victimKey = randomBytes(16);
  beforeAll(async () => {
    env = await startInProcess();
    await registerRaw(env, 'victim', victimKey);
  });
  afterAll(() => env.close());

  it(`an anonymous flood of ${FLOOD} envelopes without the key stores nothing`, async () => {
    const answers = new Map<string, number>();
    for (let start = 0; start < FLOOD; start += 50) {
      const batch = Array.from({ length: Math.min(50, FLOOD - start) }, () => postSealed(env, 'victim'));
      for (const { status, code } of await Promise.all(batch)) answers.set(`${status} ${code}`, (answers.get(`${status} ${code}`) ?? 0) + 1);
    }
    expect(Object.fromEntries(answers)).toEqual({ '401 SEALED_ACCESS_DENIED': FLOOD });
    expect(stored(env, 'victim')).toEqual({ mailbox: 0, log: 0 });
  });

  it('a wrong key, or a malformed one, is refused and nothing is stored', async () => {
    expect(await postSealed(env, 'victim', randomBytes(16))).toEqual({ status: 401, code: 'SEALED_ACCESS_DENIED' });
    expect(await postSealed(env, 'victim', 'not-a-key')).toEqual({ status: 401, code: 'SEALED_ACCESS_DENIED' });
    expect(await postSealed(env, 'victim', toBase64Url(victimKey).slice(0, 21))).toEqual({ status: 401, code: 'SEALED_ACCESS_DENIED' });
    expect(stored(env, 'victim')).toEqual({ mailbox: 0, log: 0 });
  });

  it('an unknown recipient gets the same answer as a wrong key (no probing for names)', async () => {
    expect(await postSealed(env, 'nobody-here', randomBytes(16))).toEqual({ status: 401, code: 'SEALED_ACCESS_DENIED' });
  });

  it('someone holding the key (a contact) gets through', async () => {
    expect(await postSealed(env, 'victim', victimKey)).toMatchObject({ status: 201 });
    expect(stored(env, 'victim')).toEqual({ mailbox: 1, log: 1 });
  });

  it('an account without a key accepts no sealed envelope until it uploads one', async () => {
    const { token } = await registerRaw(env, 'old-account');
    const later = randomBytes(16);
    expect(await postSealed(env, 'old-account', later)).toEqual({ status: 401, code: 'SEALED_ACCESS_DENIED' });
    const upload = await fetch(`${env.url}/api/accounts/self/access-key`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ accessKey: toBase64Url(later) }),
    });
    expect(upload.status).toBe(204);
    expect(await postSealed(env, 'old-account', later)).toMatchObject({ status: 201 });
  });

  it('uploading a key needs a signed-in account', async () => {
    const upload = await fetch(`${env.url}/api/accounts/self/access-key`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessKey: toBase64Url(randomBytes(16)) }),
    });
    expect(upload.status).toBe(401);
  });
});

describe('waiting envelopes expire after MAILBOX_RETENTION_DAYS', () => {
  let env: Env;
  let now = Date.now();
  const key = randomBytes(16);
  const MAILBOX = 5;
  beforeAll(async () => {
    // A small mailbox, so filling it takes five envelopes rather than 10,000.
    const relay = { ...DEFAULT_RELAY_OPTIONS, maxMailbox: MAILBOX };
    env = await startInProcess({ relay }, { MAILBOX_RETENTION_DAYS: '14' }, { networkInterfaces: () => ({}), clock: () => now });
    await registerRaw(env, 'away', key);
  });
  afterAll(() => env.close());

  it('a full mailbox refuses more; after the retention the old envelopes are deleted and there is room again', async () => {
    for (let i = 0; i < MAILBOX; i++) expect(await postSealed(env, 'away', key)).toMatchObject({ status: 201 });
    expect(await postSealed(env, 'away', key)).toEqual({ status: 429, code: 'RATE_LIMITED' });

    now += 14 * DAY_MS - 1; // not yet
    env.server.housekeeping();
    expect(stored(env, 'away').mailbox).toBe(MAILBOX);

    now += 2;
    env.server.housekeeping();
    expect(stored(env, 'away').mailbox).toBe(0);
    expect(await postSealed(env, 'away', key)).toMatchObject({ status: 201 });
    expect(stored(env, 'away').mailbox).toBe(1);
  });

  it('the server’s view says how long envelopes wait', async () => {
    const { json } = await getJson(`${env.url}/api/operator/schema`, env.server.operatorToken);
    const mailbox = (json.tables as { name: string; about: string }[]).find((t) => t.name === 'mailbox')!;
    expect(mailbox.about).toMatch(/deleted unread after 14 days \(MAILBOX_RETENTION_DAYS\)/);
  });
});
