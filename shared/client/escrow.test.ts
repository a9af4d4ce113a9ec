/**
 * The client core under key escrow, with a real server in process: a message
 * travels under the mode it was written in, whatever the mode when it leaves
 * the outbox (nothing is re-encrypted), and the X-ray shows the access field
 * on both sides.
 */
import { describe, expect, it, vi } from 'vitest';
import { MemoryStore, type EnvelopeClient } from '@envelope/client-core';
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
});
