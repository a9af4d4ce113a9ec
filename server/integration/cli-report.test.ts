/**
 * The command line's report and sealed-sender commands, through the real CLI
 * process and the real server: receive prints an id, report files it (once),
 * a sealed message's report says its sender is unverified, and a report the
 * client cannot make exits 10 with a reason.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportQueueSchema } from '@envelope/protocol';
import { getJson, startInProcess, tempDataDir } from '@envelope/testkit/harness.js';
import { cli } from '@envelope/testkit/cli.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
const profiles = tempDataDir();
const run = (name: string, ...args: string[]) => cli(env.url, join(profiles, name), ...args);

beforeAll(async () => {
  env = await startInProcess();
  for (const name of ['alice', 'bob']) expect((await run(name, 'register', name)).code).toBe(0);
});
afterAll(() => env.close());

async function receivedId(text: string): Promise<string> {
  const result = await run('bob', 'receive');
  expect(result.code, result.stderr).toBe(0);
  const line = result.lines.find((l) => (l as { text?: string }).text === text) as { id: string } | undefined;
  expect(line).toBeDefined();
  return line!.id;
}

describe('cli report and sealed-sender', () => {
  it('reports a received message once, with the reason given', async () => {
    expect((await run('alice', 'send', 'bob', 'buy my pills now')).code).toBe(0);
    const id = await receivedId('buy my pills now');
    // An id is base64url: one in 64 starts with "-", which the CLI reads as an option unless it follows "--".
    const first = await run('bob', 'report', '--reason', 'spam', '--', id);
    expect(first.code, first.stderr).toBe(0);
    expect(first.lines).toEqual([{ reported: id, reportId: expect.any(Number), sender: 'alice', senderVerified: true, reason: 'spam', duplicate: false }]);
    const again = await run('bob', 'report', '--reason', 'spam', '--', id);
    expect(again.lines[0]).toMatchObject({ reported: id, duplicate: true });
    const { json } = await getJson(`${env.url}/api/operator/reports`, env.server.operatorToken);
    expect(ReportQueueSchema.parse(json).reports.map((r) => [r.messageId, r.text, r.reason])).toEqual([[id, 'buy my pills now', 'spam']]);
  });

  it('with sealed sender on, a message to someone who never wrote goes with your name, and stderr says why', async () => {
    const on = await run('alice', 'sealed-sender', 'on');
    expect(on.lines).toEqual([{ sealedSender: true }]);
    expect(on.stderr).toMatch(/only to people who have written to you/i);
    const sent = await run('alice', 'send', 'bob', 'bob never wrote to me');
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stderr).toMatch(/bob has not written to you yet, so this message carries your name/);
    const id = await receivedId('bob never wrote to me');
    // Sent with her name: the server's stamp proves the sender.
    expect((await run('bob', 'report', '--', id)).lines[0]).toMatchObject({ sender: 'alice', senderVerified: true });
  });

  it('a sealed message is reported with its sender unverified', async () => {
    // Bob writes first: his message gives alice his profile key, so she can seal to him.
    expect((await run('bob', 'send', 'alice', 'hello alice')).code).toBe(0);
    expect((await run('alice', 'receive')).code).toBe(0);
    const sent = await run('alice', 'send', 'bob', 'sealed and rude');
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stderr).not.toMatch(/carries your name/);
    const id = await receivedId('sealed and rude');
    const result = await run('bob', 'report', '--', id);
    expect(result.code, result.stderr).toBe(0);
    expect(result.lines[0]).toMatchObject({ reported: id, sender: 'alice', senderVerified: false, reason: 'other' });
    expect(result.stderr).toMatch(/sealed sender/);
  });

  it('refuses what cannot be reported, with exit 10 or a usage error', async () => {
    const unknown = await run('bob', 'report', 'AAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.code).toBe(10);
    expect(unknown.stderr).toMatch(/no received message/);
    expect((await run('bob', 'report', 'AAAAAAAAAAAAAAAAAAAAAA', '--reason', 'boredom')).code).toBe(2);
    expect((await run('alice', 'sealed-sender', 'maybe')).code).toBe(2);
  });
});
