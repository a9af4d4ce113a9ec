/**
 * The command-line client in key-escrow: send and receive work as in e2ee,
 * every command says the mode on stderr, `policy` says who holds the escrow
 * key's shares, received messages carry their mode, and the agency with two
 * shares reads what was sent. Real server in process, the CLI's own code.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EscrowOpenResultSchema, POLICY_WORDS } from '@envelope/protocol';
import { cli } from '@envelope/testkit/cli.js';
import { tempDataDir } from '@envelope/testkit/harness.js';
import { liveClients } from '@envelope/testkit/live-clients.js';
import { openAccount, shares } from './testing.js';
import { setPolicyMode } from './testing.js';

const live = liveClients();

describe('the CLI under key escrow', () => {
  it('sends, receives, says the mode, and the agency reads the result with two shares', async () => {
    const server = await live.server();
    const profiles = tempDataDir();
    const profile = (name: string) => join(profiles, name);
    for (const name of ['alice', 'bob']) expect((await cli(server.url, profile(name), 'register', name)).code).toBe(0);
    await setPolicyMode(server.url, server.server.operatorToken, 'key-escrow');

    const policy = await cli(server.url, profile('alice'), 'policy');
    expect(policy.lines[0]).toMatchObject({ mode: 'key-escrow', known: true, escrow: { holders: ['court', 'agency', 'provider'], threshold: 2, checkBits: 16 } });
    const sent = await cli(server.url, profile('alice'), 'send', 'bob', 'escrowed from the command line');
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stderr).toContain(`policy: key-escrow: ${POLICY_WORDS['key-escrow'].banner}`);

    const received = await cli(server.url, profile('bob'), 'receive');
    expect(received.code, received.stderr).toBe(0);
    expect(received.lines.map((m) => [m.from, m.text, m.mode])).toEqual([['alice', 'escrowed from the command line', 'key-escrow']]);
    // Bob's receipt goes back under key-escrow too (receipts carry access fields): Alice's next command settles it.
    expect((await cli(server.url, profile('alice'), 'receive')).code).toBe(0);

    const opened = EscrowOpenResultSchema.parse((await openAccount(server, 'alice', shares(server, 'court', 'agency'))).json);
    expect(opened.messages.filter((m) => m.kind === 'text').map((m) => m.text)).toEqual(['escrowed from the command line']);
    expect(opened.messages.some((m) => m.kind === 'receipt' && m.sender === 'bob')).toBe(true);
  });
});
