/**
 * `npm run agency -- escrow …` in process against the real server
 * (runAgencyCli, the CLI's own code; Alice and Bob are the envelope CLI):
 * status says who holds the shares and how wide the check is; one holder's
 * share is refused with its own exit code and the plain reason; two open the
 * account's messages; the leak (an attack) opens everyone's; the audit log
 * still reads after escrow accesses (it failed to parse before their actions
 * were in AUDIT_ACTIONS).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postJson, tempDataDir } from '@envelope/testkit/harness.js';
import { agencyCli, cli } from '@envelope/testkit/cli.js';
import { liveClients, type InProcessServer } from '@envelope/testkit/live-clients.js';
import { agencyToken } from '@envelope/server/integration/testing.js';
import { AGENCY_EXIT } from './agency.js';

const live = liveClients();

const agency = (server: InProcessServer, ...args: string[]) => agencyCli(server.url, { agency: agencyToken(server) }, ...args);

describe('npm run agency -- escrow', () => {
  it('status, a refused single share, an opening with two, the leak, and the audit log after them', async () => {
    const server = await live.server();
    const profiles = tempDataDir();
    const person = (name: string, ...args: string[]) => cli(server.url, join(profiles, name), ...args);
    for (const name of ['alice', 'bob']) expect((await person(name, 'register', name)).code).toBe(0);

    // Before the mode was ever key-escrow there is no key: status says so, an opening is refused with exit code 9.
    expect((await agency(server, 'escrow', 'status')).lines).toEqual([expect.objectContaining({ type: 'escrow', setUp: false })]);
    const early = await agency(server, 'escrow', 'open', 'alice', '--holders', 'court,agency', '--reference', 'order 1');
    expect(early.code).toBe(AGENCY_EXIT.ESCROW_REFUSED);
    expect(early.stderr).toContain('no escrow key yet');

    const switched = await postJson(`${server.url}/api/operator/policy`, { mode: 'key-escrow', checkBits: 64 }, server.server.operatorToken);
    expect(switched.status).toBe(200);
    expect((await person('alice', 'send', 'bob', 'the key is under the mat')).code).toBe(0);
    const received = await person('bob', 'receive');
    expect(received.lines.map((line) => line.text)).toEqual(['the key is under the mat']);

    const status = await agency(server, 'escrow', 'status');
    expect(status.code, status.stderr).toBe(0);
    expect(status.lines).toEqual([expect.objectContaining({ type: 'escrow', setUp: true, checkBits: 64, threshold: 2 })]);
    expect((status.lines[0]!.holders as { holder: string }[]).map((h) => h.holder)).toEqual(['court', 'agency', 'provider']);
    expect(status.lines[0]!.retained).toBeGreaterThanOrEqual(1);

    const one = await agency(server, 'escrow', 'open', 'alice', '--holders', 'court', '--reference', 'order 2');
    expect(one.code).toBe(AGENCY_EXIT.ESCROW_REFUSED);
    expect(one.lines).toEqual([{ type: 'share', holder: 'court', handedOver: true }]);
    expect(one.stderr).toContain('only 1 share was given');

    const two = await agency(server, 'escrow', 'open', 'alice', '--holders', 'court,agency', '--reference', 'order 3');
    expect(two.code, two.stderr).toBe(0);
    expect(two.lines.slice(0, 2)).toEqual([
      { type: 'share', holder: 'court', handedOver: true },
      { type: 'share', holder: 'agency', handedOver: true },
    ]);
    const opened = two.lines.filter((line) => line.type === 'opened');
    expect(opened.filter((line) => line.kind === 'text').map((line) => [line.sender, line.recipient, line.text, line.mode])).toEqual([
      ['alice', 'bob', 'the key is under the mat', 'key-escrow'],
    ]);
    expect(two.lines.at(-1)).toMatchObject({ type: 'escrow-open', username: 'alice', reference: 'order 3', holders: ['court', 'agency'], total: opened.length });

    const leak = await agency(server, 'escrow', 'leak', '--holders', 'court,provider');
    expect(leak.code, leak.stderr).toBe(0);
    expect(leak.lines[2]).toMatchObject({ type: 'escrow-leak', attack: true, holders: ['court', 'provider'], people: 2 });
    expect(leak.lines.filter((line) => line.type === 'leaked').map((line) => line.text)).toEqual(['the key is under the mat']);

    // The audit log holds the escrow's own lines, and still parses.
    const audit = await agency(server, 'audit');
    expect(audit.code, audit.stderr).toBe(0);
    const actions = audit.lines.filter((line) => line.type === 'audit').map((line) => line.action);
    expect(actions).toEqual(expect.arrayContaining(['escrow-share-read', 'escrow-open-refused', 'escrow-open', 'escrow-leak']));
  });

  it('says what is wrong with the arguments (exit code 2)', async () => {
    const server = await live.server();
    const cases: [string[], string][] = [
      [['escrow'], 'escrow takes status, open, leak'],
      [['escrow', 'peek'], 'escrow takes status, open, leak'],
      [['escrow', 'open', 'alice', '--reference', 'r'], 'needs --holders'],
      [['escrow', 'open', 'alice', '--holders', 'court,agency'], 'needs --reference'],
      [['escrow', 'leak', '--holders', 'court,judge'], 'not "judge"'],
      [['escrow', 'leak', '--holders', 'court,court'], 'each holder once'],
      [['escrow', 'status', '--holders', 'court'], '--holders applies to escrow open and escrow leak only'],
      [['escrow', 'open', '--holders', 'court,agency', '--reference', 'r'], 'takes USERNAME'],
    ];
    for (const [args, said] of cases) {
      const result = await agency(server, ...args);
      expect(result.code, args.join(' ')).toBe(AGENCY_EXIT.USAGE);
      expect(result.stderr, args.join(' ')).toContain(said);
    }
  });
});
