/**
 * The rogue app of the classroom's demonstration (shared/client/rogue.ts),
 * driven through the client core as the web page drives it, against a real
 * server and real clients: a message sent with a forged 16-bit access field
 * (found by trial, sliced) is read by Bob and opens to nothing for the agency;
 * a search stopped by its budget (64 bits) or cancelled stores and sends
 * nothing, and the session carries on; a text encrypted inside the message
 * passes every check and the agency reads only its ciphertext.
 */
import { describe, expect, it, vi } from 'vitest';
import { EscrowOpenResultSchema } from '@envelope/protocol';
import { openInside, INSIDE_PREFIX } from '@envelope/client-core';
import { postJson } from '@envelope/testkit/harness.js';
import { liveClients } from '@envelope/testkit/live-clients.js';
import { allDelivered, openAccount, person, setPolicyMode, shares } from './testing.js';

const live = liveClients();

/**
 * 16 bits take 65,536 tries on average; the chance that 2,000,000 tries find
 * nothing is (1 - 2^-16)^2,000,000, about e^-30: the budget never binds.
 */
const SIXTEEN_BIT_BUDGET = 2_000_000;

describe('the rogue app (client core)', () => {
  it('a forged 16-bit field, found by trial in slices, is read by Bob and opens to nothing for the agency', async () => {
    const server = await live.server();
    await setPolicyMode(server.url, server.server.operatorToken, 'key-escrow');
    const alice = await person(live, server, 'alice');
    const bob = await person(live, server, 'bob');
    await (await alice.enqueue('bob', 'an honest message first')).stored;

    const slices: number[] = [];
    const sent = await alice.sendAsRogue('bob', 'the agency will not read this', { maxTries: SIXTEEN_BIT_BUDGET, onProgress: (p) => slices.push(p.tries) });
    expect(sent.outcome).toBe('sent');
    if (sent.outcome !== 'sent') return;
    expect(sent.progress).toMatchObject({ checkBits: 16 });
    expect(sent.progress.tries).toBeGreaterThan(0);
    expect(sent.progress.triesPerSecond).toBeGreaterThan(0);
    // Reported as it went: more than one slice unless the first one was lucky, each count larger than the last.
    expect(slices.at(-1)).toBe(sent.progress.tries);
    expect(slices).toEqual([...slices].sort((a, b) => a - b));
    await sent.pending.stored;

    await vi.waitFor(async () =>
      expect((await bob.conversation('alice')).map((e) => [e.text, e.mode, e.state])).toEqual([
        ['an honest message first', 'key-escrow', 'received'],
        ['the agency will not read this', 'key-escrow', 'received'],
      ]),
    );
    await allDelivered(alice, 'bob');
    // Alice's X-ray shows the forged field, laid out like any other.
    expect((await alice.xray(sent.pending.id))!.envelopes[0]!.escrow).toMatchObject({ checkBits: 16 });

    const opened = EscrowOpenResultSchema.parse((await openAccount(server, 'alice', shares(server, 'court', 'agency'))).json);
    const texts = opened.messages.filter((m) => m.sender === 'alice').map((m) => [m.messageId === sent.pending.id ? 'rogue' : 'honest', m.outcome, m.text]);
    expect(texts).toContainEqual(['honest', 'opened', 'an honest message first']);
    expect(texts).toContainEqual(['rogue', 'opens-to-nothing', null]);
  });

  it('at 64 bits the budget runs out and nothing is sent; cancelling the same; the session carries on; outside key escrow it is refused', async () => {
    const server = await live.server();
    await setPolicyMode(server.url, server.server.operatorToken, 'key-escrow');
    expect((await postJson(`${server.url}/api/operator/policy`, { mode: 'key-escrow', checkBits: 64 }, server.server.operatorToken)).status).toBe(200);
    const alice = await person(live, server, 'alice');
    const bob = await person(live, server, 'bob');
    await alice.refreshPolicy();

    const wide = await alice.sendAsRogue('bob', 'never leaves', { maxTries: 5_000 });
    expect(wide).toMatchObject({ outcome: 'budget-spent', progress: { checkBits: 64, tries: 5_000 } });
    const cancel = new AbortController();
    cancel.abort();
    expect(await alice.sendAsRogue('bob', 'never leaves either', { maxTries: SIXTEEN_BIT_BUDGET, signal: cancel.signal })).toMatchObject({ outcome: 'cancelled' });
    expect(await alice.outbox()).toEqual([]);
    expect(await alice.conversation('bob')).toEqual([]);

    // No session moved on for the abandoned tries: an honest message opens for Bob and for the agency.
    await (await alice.enqueue('bob', 'complying after all')).stored;
    await vi.waitFor(async () => expect((await bob.conversation('alice')).map((e) => [e.text, e.state])).toEqual([['complying after all', 'received']]));
    const opened = EscrowOpenResultSchema.parse((await openAccount(server, 'bob', shares(server, 'agency', 'provider'))).json);
    expect(opened.messages.filter((m) => m.kind === 'text').map((m) => [m.outcome, m.text])).toEqual([['opened', 'complying after all']]);

    await setPolicyMode(server.url, server.server.operatorToken, 'e2ee');
    await alice.refreshPolicy();
    await expect(alice.sendAsRogue('bob', 'no field to forge', { maxTries: 10 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('encrypted inside the message: a compliant field, Bob’s app gets ciphertext his rogue app opens, and the agency reads only the ciphertext', async () => {
    const server = await live.server();
    await setPolicyMode(server.url, server.server.operatorToken, 'key-escrow');
    const alice = await person(live, server, 'alice');
    const bob = await person(live, server, 'bob');
    const secret = 'meet at the usual place';
    const sent = await alice.sendEncryptedInside('bob', secret);
    await sent.stored;

    let received = '';
    await vi.waitFor(async () => {
      const entries = await bob.conversation('alice');
      expect(entries.map((e) => e.state)).toEqual(['received']);
      received = entries[0]!.text!;
    });
    expect(received).toBe(sent.sentText);
    expect(received.startsWith(INSIDE_PREFIX)).toBe(true);
    expect(received).not.toContain(secret);
    expect(openInside(received)).toBe(secret);
    expect(openInside(received.slice(0, -4) + 'AAAA')).toBeNull();

    const opened = EscrowOpenResultSchema.parse((await openAccount(server, 'bob', shares(server, 'court', 'provider'))).json);
    const text = opened.messages.find((m) => m.kind === 'text');
    expect(text).toMatchObject({ outcome: 'opened', text: received });
  });
});
