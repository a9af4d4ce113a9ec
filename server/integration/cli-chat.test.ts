/**
 * End to end through the real relay (a server process, as `npm start` runs it)
 * with the real command-line client: people chat both ways, offline, and the
 * server never holds, logs or returns a plaintext. Most commands run the CLI's
 * own code in this process (testkit's `cli`); a few start the real `envelope`
 * process (`cliProcess`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDevice } from '@envelope/testkit/crypto-fixtures.js';
import { fromBase64Url } from '@envelope/crypto-public';
import { getJson, signIn, startProcess, StreamReader, tempDataDir, type ServerProcess } from '@envelope/testkit/harness.js';
import { cli, cliProcess, cliWith } from '@envelope/testkit/cli.js';

let server: ServerProcess;
const profiles = tempDataDir();
const profile = (name: string) => join(profiles, name);

beforeAll(async () => {
  server = await startProcess();
});
afterAll(() => server.kill('SIGTERM'));

/** Every way the canary could sit in a file or response: text, hex, base64 and base64url at any alignment. */
function encodingsOf(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const forms = [secret, bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  for (let shift = 0; shift < 3; shift++) {
    const shifted = Buffer.concat([Buffer.alloc(shift, 0x41), bytes]);
    for (const encoding of ['base64', 'base64url'] as const) {
      const text = shifted.toString(encoding).replace(/=+$/, '');
      // Drop the characters that mix in the leading filler or the unknown next byte.
      forms.push(text.slice(Math.ceil((shift * 4) / 3) + 1, text.length - 2));
    }
  }
  return forms;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Signs in with the identity key a CLI profile holds (the CLI keeps no token on disk). */
async function tokenFromProfile(url: string, name: string): Promise<string> {
  const stored = JSON.parse(readFileSync(join(profile(name), 'profile.json'), 'utf8')).entries.self;
  // The CLI's file keeps bytes as {"$bytes": base64url} (client/cli/file-store.ts).
  const bytesOf = (field: { $bytes: string }, what: string) => fromBase64Url(field.$bytes, what);
  const identity = { publicKey: bytesOf(stored.identity.publicKey, 'publicKey'), privateKey: bytesOf(stored.identity.privateKey, 'privateKey') };
  const { status, json } = await signIn(url, { username: name, deviceId: stored.deviceId, token: '', keys: { identity } as unknown as TestDevice });
  expect(status).toBe(200);
  return json.token;
}

function leaks(haystack: string | Buffer, secret: string): string[] {
  const text = Buffer.isBuffer(haystack) ? haystack.toString('latin1') : haystack;
  return encodingsOf(secret).filter((form) => form.length >= 8 && text.includes(form));
}

describe('chat through the relay with the CLI', () => {
  it('three people register and chat both ways, including to someone offline', async () => {
    for (const name of ['alice', 'bob', 'carol']) {
      // The real process here (and for Bob's first receive, and for a refusal below): its exit code and JSON lines.
      const result = await cliProcess(server.url, profile(name), 'register', name);
      expect(result.code, result.stderr).toBe(0);
      expect(result.lines[0]).toMatchObject({ registered: name, deviceId: 1 });
    }
    // Nobody is connected: every message waits in the server's mailbox.
    const sent = [
      ['alice', 'bob', 'hi Bob, it is Alice'],
      ['carol', 'bob', 'Bob! Carol here'],
      ['alice', 'carol', 'hello Carol'],
    ] as const;
    for (const [from, to, text] of sent) {
      const result = await cli(server.url, profile(from), 'send', to, text);
      expect(result.code, result.stderr).toBe(0);
      expect(result.lines[0]).toMatchObject({ to });
      expect(result.lines[0].storedAt).toBeGreaterThan(0);
    }
    const bob = await cliProcess(server.url, profile('bob'), 'receive');
    expect(bob.code, bob.stderr).toBe(0);
    expect(bob.lines.map((m) => [m.from, m.text])).toEqual([
      ['alice', 'hi Bob, it is Alice'],
      ['carol', 'Bob! Carol here'],
    ]);
    for (const m of bob.lines) {
      expect(m.id).toEqual(expect.any(String));
      expect(m.sentAt).toEqual(expect.any(Number));
    }
    // Each message shows exactly once.
    expect((await cli(server.url, profile('bob'), 'receive')).lines).toEqual([]);

    expect((await cli(server.url, profile('bob'), 'send', 'alice', 'hi Alice, Bob here')).code).toBe(0);
    expect((await cli(server.url, profile('bob'), 'send', 'carol', 'and hi Carol')).code).toBe(0);
    const alice = await cli(server.url, profile('alice'), 'receive');
    expect(alice.lines.map((m) => [m.from, m.text])).toEqual([['bob', 'hi Alice, Bob here']]);
    const carol = await cli(server.url, profile('carol'), 'receive');
    expect(carol.lines.map((m) => [m.from, m.text])).toEqual([
      ['alice', 'hello Carol'],
      ['bob', 'and hi Carol'],
    ]);
    // A longer conversation keeps working after the first replies (ratchet steps both ways).
    for (let i = 0; i < 3; i++) {
      expect((await cli(server.url, profile('alice'), 'send', 'bob', `ping ${i}`)).code).toBe(0);
      expect((await cli(server.url, profile('bob'), 'receive')).lines.map((m) => m.text)).toEqual([`ping ${i}`]);
      expect((await cli(server.url, profile('bob'), 'send', 'alice', `pong ${i}`)).code).toBe(0);
      expect((await cli(server.url, profile('alice'), 'receive')).lines.map((m) => m.text)).toEqual([`pong ${i}`]);
    }
  });

  it('safety numbers match on both sides', async () => {
    const a = await cli(server.url, profile('alice'), 'safety-number', 'bob');
    const b = await cli(server.url, profile('bob'), 'safety-number', 'alice');
    expect(a.code, a.stderr).toBe(0);
    expect(a.lines[0].safetyNumber.replace(/\s/g, '')).toMatch(/^\d{60}$/);
    expect(a.lines[0].safetyNumber).toBe(b.lines[0].safetyNumber);
    expect(a.lines[0].devices).toEqual([1]); // the number covers every device of bob's that alice encrypts to
  });

  it('fails with one line and a non-zero code for an unknown user, a server that is down, a taken name', async () => {
    const unknown = await cli(server.url, profile('alice'), 'send', 'nobody-by-this-name', 'hello?');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/nobody-by-this-name/);
    const taken = await cli(server.url, profile('another-alice'), 'register', 'alice');
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toMatch(/taken/i);
    // Nothing listens there: the CLI retries until its patience runs out, so a short one (not the harness's minute).
    const down = await cliWith({ patienceSeconds: 1 }, 'http://127.0.0.1:9', profile('alice'), 'receive');
    expect(down.code).not.toBe(0);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a canary plaintext appears nowhere the server keeps or says anything', async () => {
    const canary = `CANARY-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    await cli(server.url, profile('dave'), 'register', 'dave');
    await cli(server.url, profile('erin'), 'register', 'erin');
    // The operator's live stream, from before the send: every event it carries is inspected too.
    const stream = await StreamReader.open(server.url, server.operatorToken, '?after=0');
    expect((await cli(server.url, profile('dave'), 'send', 'erin', canary)).code).toBe(0);
    const [dave, erinToken] = await Promise.all(['dave', 'erin'].map((name) => tokenFromProfile(server.url, name)));
    const { json: listed } = await getJson(`${server.url}/api/operator/envelopes`, server.operatorToken);
    const sentId = (listed.envelopes as { messageId: string; sender: string }[]).find((e) => e.sender === 'dave')!.messageId;

    const inspect = async () => {
      for (const file of filesUnder(server.dataDir)) expect(leaks(readFileSync(file), canary), file).toEqual([]);
      expect(leaks(server.output(), canary), 'server log').toEqual([]);
      const operatorPaths = ['envelopes?limit=500', 'schema', 'accounts', 'graph', 'timeline/dave', 'timeline/erin'];
      for (const path of operatorPaths.map((p) => `/api/operator/${p}`)) {
        const response = await getJson(`${server.url}${path}`, server.operatorToken);
        expect(response.status, path).toBe(200);
        expect(leaks(JSON.stringify(response.json), canary), path).toEqual([]);
      }
      // The X-ray's server row, as the sender and the recipient see it.
      for (const token of [dave, erinToken]) {
        const response = await getJson(`${server.url}/api/envelopes/${sentId}`, token);
        expect(response.status).toBe(200);
        expect(leaks(JSON.stringify(response.json), canary), '/api/envelopes/:id').toEqual([]);
      }
      expect(leaks(JSON.stringify(stream.events), canary), 'operator stream').toEqual([]);
    };
    await stream.until(() => stream.events.some((e) => e.type === 'envelope'), 'the envelope on the stream');
    await inspect(); // while the envelope waits in the mailbox
    const erin = await cli(server.url, profile('erin'), 'receive');
    expect(erin.lines.map((m) => m.text)).toEqual([canary]); // it really went through
    await stream.until(() => stream.events.some((e) => e.type === 'acked'), 'the acked event');
    await inspect(); // and after delivery
    stream.close();
    // The search itself works: it finds the canary where it belongs, at the end of the line (Erin's device).
    expect(filesUnder(profile('erin')).some((file) => leaks(readFileSync(file), canary).length > 0)).toBe(true);
  });
});

describe('what the server could try', () => {
  it("a server that passes off someone else's keys as Bob's is caught: the message is held, not shown", async () => {
    const dir = tempDataDir();
    const evil = await startProcess(dir);
    try {
      const p = (name: string) => join(dir, 'profiles', name);
      for (const name of ['alice', 'bob', 'mallory']) expect((await cli(evil.url, p(name), 'register', name)).code).toBe(0);
      expect((await cli(evil.url, p('bob'), 'send', 'alice', 'hi, real Bob')).code).toBe(0);
      expect((await cli(evil.url, p('alice'), 'receive')).lines.map((m) => m.text)).toEqual(['hi, real Bob']);
      // Mallory starts a new session with Alice, and the server relabels it as coming from Bob.
      expect((await cli(evil.url, p('mallory'), 'send', 'alice', 'Bob here, new phone, send me the code')).code).toBe(0);
      await evil.kill('SIGTERM');
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(join(dir, 'envelope.sqlite'));
      db.prepare("UPDATE mailbox SET sender = 'bob' WHERE sender = 'mallory'").run();
      db.close();
      const restarted = await startProcess(dir);
      try {
        const alice = await cliProcess(restarted.url, p('alice'), 'receive');
        expect(alice.lines.map((m) => m.text)).not.toContain('Bob here, new phone, send me the code');
        expect(alice.code).not.toBe(0);
        expect(alice.stderr).toMatch(/bob/);
        expect(alice.stderr).toMatch(/key|safety/i);
      } finally {
        await restarted.kill('SIGTERM');
      }
    } finally {
      await evil.kill('SIGTERM');
    }
  });
});
