/**
 * Receipts and the metadata signals, end to end: real clients, the real
 * server in process. Bob never writes back to Alice, but his app confirms
 * every message with a receipt. The one-way detector must still see a one-way
 * conversation: a marked receipt is kept from the detectors, and a sealed one
 * is unattributable, so neither can pass for a reply.
 */
import { describe, expect, it, vi } from 'vitest';
import { MemoryStore, type EnvelopeClient } from '@envelope/client-core';
import { liveClients, online, type InProcessServer as Server } from '@envelope/testkit/live-clients.js';
import { wireTap } from '@envelope/testkit/wire-tap.js';
import { OperatorGraphResponseSchema, SignalsResponseSchema } from '@envelope/protocol';
import { ONE_WAY_MIN_SENT } from '../domain/signals/one-way.js';
import { getJson } from '@envelope/testkit/harness.js';

const live = liveClients();

async function person(server: Server, name: string): Promise<EnvelopeClient> {
  const client = await live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket: wireTap().WebSocket }, name);
  await online(client);
  return client;
}

/** Alice writes to Bob ONE_WAY_MIN_SENT times; Bob never writes, and every message ends up delivered (by his receipts). */
async function oneSidedChat(bobSealed: boolean) {
  const server = await live.server();
  const alice = await person(server, 'alice');
  const bob = await person(server, 'bob');
  await bob.setSealedSender(bobSealed);
  for (let i = 0; i < ONE_WAY_MIN_SENT; i++) await alice.send('bob', `message ${i}`);
  await vi.waitFor(async () => expect((await alice.conversation('bob')).every((e) => e.state === 'delivered')).toBe(true), { timeout: 10_000 });
  const operator = async (path: string) => (await getJson(`${server.url}/api/operator/${path}`, server.server.operatorToken)).json;
  const signals = SignalsResponseSchema.parse(await operator('signals'));
  const graph = OperatorGraphResponseSchema.parse(await operator('graph'));
  return { oneWay: signals.detectors.find((d) => d.id === 'one-way')!, signals, graph };
}

describe('receipts and the signals', () => {
  it('a one-way conversation stays one-way when unsealed receipts flow back, and they are counted apart', async () => {
    const { oneWay, signals, graph } = await oneSidedChat(false);
    expect(oneWay.flagged.map((f) => f.account)).toEqual(['alice']);
    expect(oneWay.receipts).toBeGreaterThan(0);
    expect(oneWay.unattributable).toBe(0);
    // No detector counted them; every envelope detector says so.
    for (const detector of signals.detectors) {
      expect(detector.receiptsNote, detector.id).toMatch(/receipt/i);
      if (detector.unit === 'envelope') expect(detector.receipts, detector.id).toBe(oneWay.receipts);
    }
    expect(signals.detectors.find((d) => d.id === 'stranger-contacts')!.flagged).toEqual([]);
    // The graph: Bob sent nothing it counts as conversation; his receipts are counted apart.
    expect(graph.nodes.find((n) => n.username === 'bob')).toMatchObject({ sent: 0, received: ONE_WAY_MIN_SENT });
    expect(graph.edges.find((e) => e.from === 'bob')).toMatchObject({ to: 'alice', envelopes: 0, receipts: oneWay.receipts });
    expect(graph.receipts).toBe(oneWay.receipts);
  });

  it('with sealed receipts the server cannot tell them apart, and they count as unattributable, not as replies', async () => {
    const { oneWay, graph } = await oneSidedChat(true);
    expect(oneWay.flagged.map((f) => f.account)).toEqual(['alice']);
    expect(oneWay.receipts).toBe(0);
    expect(oneWay.unattributable).toBeGreaterThan(0);
    expect(graph.receipts).toBe(0);
    expect(graph.unattributed).toBe(oneWay.unattributable);
  });
});
