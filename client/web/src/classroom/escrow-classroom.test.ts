/**
 * Panes under key escrow, against a real server in process started with
 * POLICY_MODE=key-escrow (16 bits, then 64) and real EnvelopeClients: the
 * pane knows the check width (it offers the rogue app); the X-ray lays out the
 * access field on both sides; the rogue dialog's model searches, reports tries
 * as it goes, sends, and Bob's pane reads it; at 64 bits it runs out of time
 * with nothing sent, Cancel stops a search, and the other escape sends a text
 * encrypted inside.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { postJson, startInProcess } from '@envelope/testkit/harness.js';
import type { Username } from '@envelope/protocol';
import { EnvelopeClient, openInside } from '@envelope/client-core';
import { IndexedDbStore } from '../storage/indexeddb-store.js';
import type { OpenClient } from './client-api.js';
import { PersonaModel, type PersonaSnapshot } from './persona-model.js';
import type { RogueDialogState } from './rogue-dialog.js';
import type { XrayView } from './xray-view.js';
import { until } from '../ui/test-data.js';

type Server = Awaited<ReturnType<typeof startInProcess>>;
const cleanup: (() => Promise<void>)[] = [];
let counter = 0;

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function escrowServer(checkBits: '16' | '64' = '16'): Promise<Server> {
  const started = await startInProcess({}, { POLICY_MODE: 'key-escrow', ESCROW_CHECK_BITS: checkBits });
  cleanup.push(() => started.close());
  return started;
}

async function online(server: Server, name: string): Promise<PersonaModel> {
  const database = `escrow-test-${++counter}`;
  const openClient: OpenClient = (store) => EnvelopeClient.open({ serverUrl: server.url, store, WebSocket });
  const model = new PersonaModel({ id: database, openStore: () => IndexedDbStore.open(database), openClient });
  cleanup.push(() => model.dispose());
  await model.start();
  await model.join(name);
  await until(model.state, (s) => s.phase === 'ready' && s.status === 'online');
  return model;
}

const rogue = (s: PersonaSnapshot): RogueDialogState | null => (s.dialog?.kind === 'rogue' ? s.dialog : null);

async function xrayOf(model: PersonaModel, text: string): Promise<XrayView> {
  const entry = model.state.get().conversation.find((e) => e.text === text);
  if (!entry) throw new Error(`no message “${text}”`);
  await model.dialogs.openXray(entry.id);
  const { dialog } = await until(model.state, (s) => s.dialog?.kind === 'xray' && (s.dialog.view !== null || s.dialog.error !== null));
  if (dialog?.kind !== 'xray' || !dialog.view) throw new Error(`no X-ray: ${dialog?.kind === 'xray' ? dialog.error : 'closed'}`);
  model.dialogs.close();
  return dialog.view;
}

describe('panes under key escrow', () => {
  it('X-ray with the access field on both sides; the rogue app finds a 16-bit field by trial, sends, and Bob reads it', async () => {
    const server = await escrowServer();
    const alice = await online(server, 'alice');
    const bob = await online(server, 'bob');
    expect(alice.state.get().escrowCheckBits).toBe(16);
    await alice.addContact('bob');
    await bob.addContact('alice');

    expect(await alice.send('an honest message')).toBe(true);
    await until(bob.state, (s) => s.conversation.some((e) => e.text === 'an honest message'));
    const sent = await xrayOf(alice, 'an honest message');
    const received = await xrayOf(bob, 'an honest message');
    expect([sent.mode, received.mode]).toEqual(['key-escrow', 'key-escrow']);
    const field = sent.envelopes[0]!.escrow!;
    expect(field.parts.map((p) => p.key)).toEqual(['version', 'width', 'conversation', 'number', 'sealed', 'checkword']);
    expect(field.parts.find((p) => p.key === 'width')!.value).toBe('16 bits');
    expect(received.envelopes[0]!.escrow!.field).toEqual(field.field);

    alice.rogue.open('bob' as Username, 16);
    const tries: number[] = [];
    const off = alice.state.subscribe(() => {
      const progress = rogue(alice.state.get())?.progress;
      if (progress && progress.tries !== tries.at(-1)) tries.push(progress.tries);
    });
    alice.rogue.setText('the escrow opens this to nothing');
    await alice.rogue.start();
    off();
    const done = rogue(alice.state.get())!;
    expect(done.phase).toBe('sent');
    expect(done.progress!.tries).toBe(tries.at(-1));
    expect(done.progress!.triesPerSecond).toBeGreaterThan(0);
    // Alice's pane remembers which message went forged (its row says so); Bob's app cannot tell.
    expect(alice.state.get().forgedSent).toEqual([done.messageId]);
    const seen = await until(bob.state, (s) => s.conversation.some((e) => e.text === 'the escrow opens this to nothing'));
    expect(seen.conversation.find((e) => e.text === 'the escrow opens this to nothing')).toMatchObject({ state: 'received', mode: 'key-escrow' });

    // The other escape, from the same dialog: Bob's app gets ciphertext that a rogue app with the shared key opens.
    await alice.rogue.sendInside();
    const inside = rogue(alice.state.get())!.inside;
    expect(inside.phase).toBe('sent');
    const got = await until(bob.state, (s) => s.conversation.some((e) => e.text === inside.sentText));
    expect(openInside(got.conversation.find((e) => e.text === inside.sentText)!.text!)).toBe('the escrow opens this to nothing');
    alice.rogue.close();
    expect(alice.state.get().dialog).toBeNull();
  });

  it('at 64 bits the search stops at its time with nothing sent; Cancel stops a search; outside key escrow it is refused in words', async () => {
    const server = await escrowServer('64');
    const alice = await online(server, 'alice');
    await online(server, 'bob');
    expect(alice.state.get().escrowCheckBits).toBe(64);
    await alice.addContact('bob');

    alice.rogue.open('bob' as Username, 64);
    const searching = alice.rogue.start();
    await until(alice.state, (s) => (rogue(s)?.progress?.tries ?? 0) > 0);
    alice.rogue.cancel();
    await searching;
    expect(rogue(alice.state.get())!.phase).toBe('cancelled');

    // The fixed-time search (4 s) runs out: out of reach, and the figures to say why.
    await alice.rogue.start();
    const done = rogue(alice.state.get())!;
    expect(done.phase).toBe('out-of-reach');
    expect(done.progress!.elapsedMs).toBeGreaterThanOrEqual(4_000);
    expect(done.progress!.triesPerSecond).toBeGreaterThan(0);
    await alice.refresh();
    expect(alice.state.get().conversation).toEqual([]);

    // The operator leaves key escrow while the dialog is open: the button goes, and a search is refused in words.
    const { status } = await postJson(`${server.url}/api/operator/policy`, { mode: 'e2ee' }, server.server.operatorToken);
    expect(status).toBe(200);
    await until(alice.state, (s) => s.escrowCheckBits === null);
    await alice.rogue.start();
    expect(rogue(alice.state.get())).toMatchObject({ phase: 'failed', error: 'Not sent: the server is no longer in key escrow, so there is no access field to forge.' });
  });
});
