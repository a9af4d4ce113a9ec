/**
 * Key escrow end to end: real clients, the real server in process, real
 * SQLite. What the mode gains (the agency with two of three shares reads an
 * account's messages) and what it costs (the server keeps ciphertexts after
 * delivery; a leaked key opens everyone's, back to the oldest kept), and what
 * it still does not give the operator alone (nothing).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { randomBytes, toBase64Url } from '@envelope/crypto-public';
import { EscrowLeakResultSchema, EscrowOpenResultSchema, EscrowStatusSchema, PolicyAnnouncementSchema, UNIDENTIFIED_ACCESS_HEADER } from '@envelope/protocol';
import { liveClients } from '@envelope/testkit/live-clients.js';
import { getJson, postJson, register, tempDataDir } from '@envelope/testkit/harness.js';
import { allDelivered, cellsContaining, escrowStatus, leak, openAccount, person, shareOf, shares } from './testing.js';
import { setPolicyMode } from './testing.js';

const live = liveClients();
const DAY_MS = 24 * 60 * 60 * 1000;

describe('key escrow: the agency with shares, the operator without', () => {
  it('the operator reads nothing; two of three shares open an account’s messages; one share or a wrong one is refused', async () => {
    const server = await live.server();
    const announcement = PolicyAnnouncementSchema.parse(await setPolicyMode(server.url, server.server.operatorToken, 'key-escrow'));
    expect(announcement.escrow).toMatchObject({ checkBits: 16, holders: ['court', 'agency', 'provider'], threshold: 2 });
    const alice = await person(live, server, 'alice');
    const bob = await person(live, server, 'bob');
    await alice.send('bob', 'meet me at the usual place');
    await bob.send('alice', 'see you at nine');
    await allDelivered(alice, 'bob');
    await allDelivered(bob, 'alice');
    // Both read each other: the mode keeps end-to-end encryption, and says so on each message.
    expect((await bob.conversation('alice')).map((e) => [e.text, e.mode])).toEqual([
      ['meet me at the usual place', 'key-escrow'],
      ['see you at nine', 'key-escrow'],
    ]);

    // The operator, with the whole database and no share: no text anywhere, the content log empty.
    expect(cellsContaining(server, 'usual place')).toEqual([]);
    expect(server.server.db.prepare('SELECT count(*) AS n FROM content_log').get()).toEqual({ n: 0 });
    // What the server keeps instead: every envelope (messages and receipts) after delivery.
    expect(server.server.db.prepare('SELECT count(*) AS n FROM mailbox').get()).toEqual({ n: 0 });
    const status = EscrowStatusSchema.parse((await escrowStatus(server)).json);
    expect(status).toMatchObject({ setUp: true, checkBits: 16, threshold: 2, retentionDays: 30 });
    expect(status.retained).toBeGreaterThanOrEqual(4);
    // Only the public key is on the server's side; each share is its own file, readable by the server's user only.
    const stored = JSON.parse(readFileSync(join(server.config.dataDir, 'escrow-public.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual(['checkBits', 'createdAt', 'publicKey']);
    for (const { file } of status.holders) expect(statSync(file).mode & 0o777).toBe(0o600);

    // Without the agency token: 401. One share: 400, saying two are needed. A wrong share: 422 SHARES_DO_NOT_FIT.
    expect((await openAccount(server, 'bob', shares(server, 'court', 'agency'), 'not-the-agency-token-at-all')).status).toBe(401);
    const one = await openAccount(server, 'bob', shares(server, 'court'));
    expect([one.status, one.json.code]).toEqual([400, 'BAD_REQUEST']);
    expect(one.json.detail).toMatch(/needs 2 of the 3 holders/);
    const court = shareOf(server, 'court');
    const bent = { holder: 'agency' as const, share: flipFirstByte(shareOf(server, 'agency').share) };
    const wrong = await openAccount(server, 'bob', [court, bent]);
    expect([wrong.status, wrong.json.code]).toEqual([422, 'SHARES_DO_NOT_FIT']);
    expect((await openAccount(server, 'nobody-here', shares(server, 'court', 'agency'))).status).toBe(404);

    // Any two holders: court and agency, or agency and provider.
    for (const pair of [['court', 'agency'], ['agency', 'provider']] as const) {
      const opened = EscrowOpenResultSchema.parse((await openAccount(server, 'bob', shares(server, ...pair))).json);
      const texts = opened.messages.filter((m) => m.kind === 'text').map((m) => [m.sender, m.recipient, m.text]);
      expect(texts).toEqual([
        ['alice', 'bob', 'meet me at the usual place'],
        ['bob', 'alice', 'see you at nine'],
      ]);
      expect(opened.opensToNothing).toBe(0);
      expect(opened.messages.some((m) => m.kind === 'receipt')).toBe(true);
    }
    // Every access is audited, the refused ones too.
    const audit = server.server.db.prepare("SELECT actor, action, target FROM intercept_audit WHERE action LIKE 'escrow%' ORDER BY seq").all();
    expect(audit).toEqual([
      { actor: 'agency', action: 'escrow-open-refused', target: 'bob' },
      { actor: 'agency', action: 'escrow-open-refused', target: 'bob' },
      { actor: 'agency', action: 'escrow-open', target: 'bob' },
      { actor: 'agency', action: 'escrow-open', target: 'bob' },
    ]);
  });

  it('a leaked key opens everyone’s escrowed messages, those before the leak included; back in e2ee nothing new is kept or carries a field', async () => {
    const server = await live.server();
    await setPolicyMode(server.url, server.server.operatorToken, 'key-escrow');
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol', 'dave'].map((name) => person(live, server, name)));
    await alice!.send('bob', 'escrowed one');
    await carol!.send('dave', 'escrowed two');
    await allDelivered(alice!, 'bob');
    await allDelivered(carol!, 'dave');

    const back = PolicyAnnouncementSchema.parse(await setPolicyMode(server.url, server.server.operatorToken, 'e2ee'));
    expect(back.escrow).toBeUndefined();
    // Back in e2ee the announcement still says what escrow holders could open: two messages (their receipts kept too, not counted), of four people.
    expect(back.exposure).toEqual({ messages: 0, people: 0, escrowed: { messages: 2, people: 4 } });
    const retainedBefore = EscrowStatusSchema.parse((await escrowStatus(server)).json).retained;
    await alice!.send('bob', 'after the switch back');
    await allDelivered(alice!, 'bob');
    expect(EscrowStatusSchema.parse((await escrowStatus(server)).json).retained).toBe(retainedBefore);
    expect(server.server.db.prepare("SELECT count(*) AS n FROM metadata_log WHERE mode = 'e2ee'").get()).toEqual({ n: 2 }); // the message and its receipt
    const latest = (await bob!.conversation('alice')).at(-1)!;
    expect([latest.text, latest.mode]).toEqual(['after the switch back', 'e2ee']);

    const result = EscrowLeakResultSchema.parse((await leak(server, shares(server, 'agency', 'provider'))).json);
    expect(result.attack).toBe(true);
    expect([result.messages, result.controlMessages, result.people]).toEqual([2, 2, 4]);
    expect(result.sample.map((m) => m.text).sort()).toEqual(['escrowed one', 'escrowed two']);
    expect(result.oldestStoredAt).not.toBeNull();
    expect(server.server.db.prepare("SELECT actor FROM intercept_audit WHERE action = 'escrow-leak'").all()).toEqual([{ actor: 'attacker' }]);
  });

  it('retention: purged rows are really gone, from the table and the file, and no key opens them any more', async () => {
    let now = Date.now();
    const server = await live.server({}, {}, { networkInterfaces, clock: () => now });
    await setPolicyMode(server.url, server.server.operatorToken, 'key-escrow');
    const alice = await person(live, server, 'alice');
    await person(live, server, 'bob');
    await alice.send('bob', 'kept for thirty days');
    await allDelivered(alice, 'bob');
    const row = server.server.db.prepare<[], { body: Buffer }>('SELECT body FROM escrow_retained ORDER BY seq LIMIT 1').get()!;
    const marker = row.body.subarray(row.body.length - 24); // ciphertext bytes: found nowhere else
    expect(EscrowOpenResultSchema.parse((await openAccount(server, 'bob', shares(server, 'court', 'provider'))).json).opened).toBeGreaterThan(0);

    now += 31 * DAY_MS;
    server.server.housekeeping();
    expect(server.server.db.prepare('SELECT count(*) AS n FROM escrow_retained').get()).toEqual({ n: 0 });
    const opened = EscrowOpenResultSchema.parse((await openAccount(server, 'bob', shares(server, 'court', 'provider'))).json);
    expect([opened.total, opened.messages]).toEqual([0, []]);
    const onDisk = (suffix: string) => {
      try {
        return readFileSync(join(server.config.dataDir, `envelope.sqlite${suffix}`));
      } catch {
        return Buffer.alloc(0);
      }
    };
    for (const suffix of ['', '-wal']) expect(onDisk(suffix).includes(marker), `envelope.sqlite${suffix}`).toBe(false);
  });

  it('POLICY_MODE=key-escrow at start makes the key first and announces it; a restart keeps the same key and mode', async () => {
    const dataDir = tempDataDir();
    const first = await live.server({}, { DATA_DIR: dataDir, POLICY_MODE: 'key-escrow', ESCROW_CHECK_BITS: '64' });
    const announced = PolicyAnnouncementSchema.parse((await getJson(`${first.url}/api/policy`)).json);
    expect(announced.escrow?.checkBits).toBe(64);
    await first.close();
    const again = await live.server({}, { DATA_DIR: dataDir });
    const kept = PolicyAnnouncementSchema.parse((await getJson(`${again.url}/api/policy`)).json);
    expect([kept.mode, kept.escrow?.checkBits]).toEqual(['key-escrow', 64]);
    expect(kept.escrow?.publicKey).toEqual(announced.escrow?.publicKey);
  });

  it('the switch takes checkBits only with key-escrow, and a sealed send under key escrow is refused', async () => {
    const server = await live.server();
    const token = server.server.operatorToken;
    const bad = await postJson(`${server.url}/api/operator/policy`, { mode: 'transport-only', checkBits: 64 }, token);
    expect(bad.status).toBe(400);
    const wide = PolicyAnnouncementSchema.parse((await postJson(`${server.url}/api/operator/policy`, { mode: 'key-escrow', checkBits: 64 }, token)).json);
    expect(wide.escrow?.checkBits).toBe(64);
    expect(PolicyAnnouncementSchema.parse((await getJson(`${server.url}/api/policy`)).json).escrow?.checkBits).toBe(64);
    // Key escrow sends signed in: a sealed envelope, whose inner message the escrow cannot reach, is refused and not stored.
    const accessKey = randomBytes(16);
    await register(server.url, 'bob', { accessKey });
    const response = await fetch(`${server.url}/api/sealed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [UNIDENTIFIED_ACCESS_HEADER]: toBase64Url(accessKey) },
      body: JSON.stringify({ id: 'sealed-escrow-1', to: 'bob', toDevice: 1, body: toBase64Url(Uint8Array.of(0x03, ...randomBytes(100))), mode: 'key-escrow' }),
    });
    expect([response.status, ((await response.json()) as { code: string }).code]).toEqual([422, 'BAD_ACCESS_FIELD']);
    expect(server.server.db.prepare('SELECT count(*) AS n FROM metadata_log').get()).toEqual({ n: 0 });
  });
});

/** The share with its first byte changed: still a share's shape, of no key. */
function flipFirstByte(share: string): string {
  const bytes = Buffer.from(share, 'base64url');
  bytes[0]! ^= 0x01;
  return bytes.toString('base64url');
}
