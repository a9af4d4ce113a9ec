/**
 * The client core under key escrow, with a real server in process: a message
 * travels under the mode it was written in, whatever the mode when it leaves
 * the outbox (nothing is re-encrypted), and the X-ray shows the access field
 * on both sides.
 */
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forgeAccessField } from '@envelope/crypto';
import { isClientError, MemoryStore, type EnvelopeClient, type RogueAccessField } from '@envelope/client-core';
import { postJson } from '@envelope/testkit/harness.js';
import { FAST_BACKOFF, liveClients, online, type InProcessServer } from '@envelope/testkit/live-clients.js';
import { wireTap } from '@envelope/testkit/wire-tap.js';

const live = liveClients();

async function setMode(server: InProcessServer, mode: string): Promise<void> {
  const { status } = await postJson(`${server.url}/api/operator/policy`, { mode }, server.server.operatorToken);
  expect(status).toBe(200);
}

function open(server: InProcessServer, name: string): Promise<EnvelopeClient> {
  return live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket: wireTap().WebSocket, backoff: FAST_BACKOFF }, name);
}

const retainedIds = (server: InProcessServer) =>
  (server.server.db.prepare('SELECT message_id AS id FROM escrow_retained').all() as { id: string }[]).map((r) => r.id);

describe('key escrow in the client core', () => {
  it('a message queued under one mode leaves under it after a switch, both ways, and the X-ray shows the access field', async () => {
    const server = await live.server();
    const bob = await open(server, 'bob');
    await online(bob);
    const alice = await open(server, 'alice');
    const carol = await open(server, 'carol');

    // Alice writes under key-escrow while offline; the operator switches back to e2ee before she connects.
    await setMode(server, 'key-escrow');
    const escrowed = await alice.enqueue('bob', 'written under escrow');
    await setMode(server, 'e2ee');
    // Carol writes under e2ee while offline; the operator switches to key-escrow before she connects.
    await carol.refreshPolicy();
    const plain = await carol.enqueue('bob', 'written end to end');
    await setMode(server, 'key-escrow');
    await online(alice);
    await online(carol);
    await Promise.all([escrowed.stored, plain.stored]);

    await vi.waitFor(async () => {
      expect((await bob.conversation('alice')).map((e) => [e.text, e.mode])).toEqual([['written under escrow', 'key-escrow']]);
      expect((await bob.conversation('carol')).map((e) => [e.text, e.mode])).toEqual([['written end to end', 'e2ee']]);
    });
    // Only the escrowed one is kept after delivery.
    expect(retainedIds(server)).toContain(escrowed.id);
    expect(retainedIds(server)).not.toContain(plain.id);

    // The X-ray, sender's and recipient's side: the same field, laid out.
    const sent = (await alice.xray(escrowed.id))!;
    const received = (await bob.xray(escrowed.id))!;
    expect([sent.mode, received.mode]).toEqual(['key-escrow', 'key-escrow']);
    const field = sent.envelopes[0]!.escrow!;
    expect(field).toMatchObject({ checkBits: 16, chainIndex: sent.envelopes[0]!.step.messageIndex });
    expect(field.ratchetKeyPrefix).toEqual(sent.envelopes[0]!.step.ratchetKey.slice(0, 8));
    expect(received.envelopes[0]!.escrow!.field).toBe(field.field);
    expect((await bob.xray(plain.id))!.envelopes[0]!.escrow).toBeNull();
  });

  it('the rogue demonstration: a forged field found in chunks passes Bob’s check and opens to nothing; giving up sends nothing', async () => {
    const server = await live.server();
    const bob = await open(server, 'bob');
    await online(bob);
    const mallory = await open(server, 'mallory');
    await online(mallory);
    // Not under e2ee: nothing is encrypted.
    await expect(mallory.enqueueRogue('bob', 'too early', () => null)).rejects.toSatisfy((e: unknown) => isClientError(e, 'INVALID_ARGUMENT'));
    await setMode(server, 'key-escrow');
    await vi.waitFor(() => expect(mallory.policy?.mode).toBe('key-escrow'));

    // Giving up (as at 64 bits): nothing stored, nothing sent.
    await expect(mallory.enqueueRogue('bob', 'never sent', () => null)).rejects.toSatisfy((e: unknown) => isClientError(e, 'INVALID_ARGUMENT'));
    // Trial in chunks of 4,096 tries, yielding between them as a page would, until one passes.
    let tries = 0;
    const chunked: RogueAccessField = async (disclosure, checkBits) => {
      for (;;) {
        const chunk = forgeAccessField(disclosure, checkBits, 4_096);
        tries += chunk.tries;
        if (chunk.field) return chunk.field;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const forged = await mallory.enqueueRogue('bob', 'a rogue wrote this', chunked);
    await forged.stored;
    expect(tries).toBeGreaterThan(0);
    await vi.waitFor(async () => expect((await bob.conversation('mallory')).map((e) => [e.text, e.state])).toEqual([['a rogue wrote this', 'received']]));

    const token = (JSON.parse(readFileSync(join(server.config.dataDir, 'agency-token.json'), 'utf8')) as { agencyToken: string }).agencyToken;
    const share = (holder: string) => ({ holder, share: readFileSync(join(server.config.dataDir, 'escrow-shares', `${holder}.share`), 'utf8').trim() });
    const { json } = await postJson(`${server.url}/api/agency/escrow/open`, { username: 'mallory', reference: 'case 7', shares: [share('court'), share('provider')] }, token);
    expect(json.messages.find((m: { messageId: string }) => m.messageId === forged.id)).toMatchObject({ outcome: 'opens-to-nothing', text: null });
  });
});
