/**
 * The CLI in each policy mode, in process against the real server
 * (shared/testkit/cli.ts): `policy` prints the announcement as one JSON line;
 * every command says a mode other than e2ee on stderr; send and receive work
 * across switches, each message read under the mode it was sent in; and a
 * mode this build does not know (the real server's announcement with its
 * mode changed in transit, policy-rewrite.ts) is said, and send fails with
 * the typed error as JSON and exit code 11, with nothing queued.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_DEMO_CAVEAT, POLICY_WORDS } from '@envelope/protocol';
import { postJson, startInProcess, tempDataDir } from '@envelope/testkit/harness.js';
import { cli, cliWith } from '@envelope/testkit/cli.js';
import { networkAnnouncing } from '@envelope/testkit/policy-rewrite.js';
import { EXIT } from './report.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
const profiles = tempDataDir();
const run = (name: string, ...args: string[]) => cli(env.url, join(profiles, name), ...args);
const switchTo = async (mode: string) => expect((await postJson(`${env.url}/api/operator/policy`, { mode }, env.server.operatorToken)).status).toBe(200);
const TRANSPORT_LINE = `envelope: policy: transport-only: ${POLICY_WORDS['transport-only'].banner}`;

beforeAll(async () => {
  env = await startInProcess();
  for (const name of ['alice', 'bob']) expect((await run(name, 'register', name)).code).toBe(0);
});
afterAll(() => env.close());

describe('the CLI and the policy mode', () => {
  it('says the mode on every command while it is not e2ee, prints it with `policy`, and sends and receives across switches', async () => {
    const e2ee = await run('alice', 'policy');
    expect(e2ee.code, e2ee.stderr).toBe(0);
    expect(e2ee.lines).toEqual([{ mode: 'e2ee', known: true, ...POLICY_WORDS.e2ee, since: expect.any(Number), exposure: { messages: 0, people: 0 }, caveat: POLICY_DEMO_CAVEAT }]);
    expect(e2ee.stderr).not.toContain('policy:');
    expect((await run('alice', 'send', 'bob', 'one, end to end')).stderr).not.toContain('policy:');

    await switchTo('transport-only');
    const sent = await run('alice', 'send', 'bob', 'two, read by the server');
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stderr.split('\n')).toContain(TRANSPORT_LINE);
    const transport = await run('bob', 'policy');
    expect(transport.lines).toEqual([
      { mode: 'transport-only', known: true, ...POLICY_WORDS['transport-only'], since: expect.any(Number), exposure: { messages: 1, people: 2 }, caveat: POLICY_DEMO_CAVEAT },
    ]);
    expect(transport.stderr.split('\n')).toContain(TRANSPORT_LINE);

    await switchTo('e2ee');
    expect((await run('alice', 'send', 'bob', 'three, end to end again')).stderr).not.toContain('policy:');
    const received = await run('bob', 'receive');
    expect(received.code, received.stderr).toBe(0);
    expect(received.lines.map((line) => [line.text, line.mode])).toEqual([
      ['one, end to end', 'e2ee'],
      ['two, read by the server', 'transport-only'],
      ['three, end to end again', 'e2ee'],
    ]);
    const texts = env.server.db.prepare("SELECT text FROM content_log WHERE kind = 'text'").all();
    expect(texts).toEqual([{ text: 'two, read by the server' }]);
  });

  it('a mode this build does not know is said, and send fails with the typed error as JSON, queueing nothing', async () => {
    const network = networkAnnouncing('client-scanning');
    const shown = await cliWith({ network }, env.url, join(profiles, 'alice'), 'policy');
    expect(shown.lines).toEqual([
      { mode: 'client-scanning', known: false, name: null, banner: null, detail: null, since: expect.any(Number), exposure: expect.any(Object), caveat: POLICY_DEMO_CAVEAT },
    ]);
    const refused = await cliWith({ network }, env.url, join(profiles, 'alice'), 'send', 'bob', 'must not leave');
    expect(refused.code).toBe(EXIT.POLICY_REFUSED);
    expect(refused.lines).toEqual([{ error: { code: 'UNKNOWN_POLICY_MODE', mode: 'client-scanning', message: expect.stringContaining('"client-scanning"') } }]);
    expect(refused.stderr).toContain('envelope: policy: "client-scanning" is a mode this app does not know');
    // Nothing was queued: the next command on the real network sends nothing old, and bob gets nothing.
    expect((await run('alice', 'send', 'bob', 'after the refusal')).code).toBe(0);
    expect((await run('bob', 'receive')).lines.map((line) => line.text)).toEqual(['after the refusal']);
  });
});
