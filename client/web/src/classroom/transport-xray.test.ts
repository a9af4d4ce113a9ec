/**
 * A pane under transport-only, against a real server in-process started with
 * POLICY_MODE=transport-only and real EnvelopeClients: the message rows carry
 * the mode; the X-ray says the server's row is the opened message (its own
 * bytes spell the text) while stored, and by digest once delivered; the
 * recipient, who never added the sender, gets the conversation opened; and a
 * sealed send shows the certificate the server reads.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startInProcess } from '@envelope/testkit/harness.js';
import { EnvelopeClient } from '@envelope/client-core';
import { IndexedDbStore } from '../storage/indexeddb-store.js';
import type { OpenClient } from './client-api.js';
import { PersonaModel } from './persona-model.js';
import type { XrayView } from './xray-view.js';
import { until } from '../ui/test-data.js';

type Server = Awaited<ReturnType<typeof startInProcess>>;
const cleanup: (() => Promise<void>)[] = [];
let counter = 0;

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function transportOnlyServer(): Promise<Server> {
  const started = await startInProcess({}, { POLICY_MODE: 'transport-only' });
  cleanup.push(() => started.close());
  return started;
}

function persona(server: Server, database = `transport-test-${++counter}`): PersonaModel {
  const openClient: OpenClient = (store) => EnvelopeClient.open({ serverUrl: server.url, store, WebSocket });
  const model = new PersonaModel({ id: database, openStore: () => IndexedDbStore.open(database), openClient });
  cleanup.push(() => model.dispose());
  return model;
}

async function online(model: PersonaModel, name?: string): Promise<PersonaModel> {
  await model.start();
  if (name !== undefined) await model.join(name);
  await until(model.state, (s) => s.phase === 'ready' && s.status === 'online');
  return model;
}

async function xrayOf(model: PersonaModel, text: string): Promise<XrayView> {
  const entry = model.state.get().conversation.find((e) => e.text === text);
  if (!entry) throw new Error(`no message “${text}”`);
  await model.dialogs.openXray(entry.id);
  const { dialog } = await until(model.state, (s) => s.dialog?.kind === 'xray' && (s.dialog.view !== null || s.dialog.error !== null));
  if (dialog?.kind !== 'xray' || !dialog.view) throw new Error(`no X-ray: ${dialog?.kind === 'xray' ? dialog.error : 'closed'}`);
  model.dialogs.close();
  return dialog.view;
}

describe('a pane under transport-only', () => {
  it('tags the message, and its X-ray shows the server holding the opened message, by its bytes and then by digest', async () => {
    const srv = await transportOnlyServer();
    const alice = await online(persona(srv), 'alice');
    // Bob joins, then goes offline, so the server still holds the message when Alice looks.
    const bobDatabase = `transport-test-${++counter}`;
    const bobAway = await online(persona(srv, bobDatabase), 'bob');
    await bobAway.dispose();

    await alice.addContact('bob');
    expect(await alice.send('the key is under the mat')).toBe(true);
    await until(alice.state, (s) => s.conversation.some((e) => e.text === 'the key is under the mat' && e.state === 'stored'));
    expect(alice.state.get().conversation.find((e) => e.text === 'the key is under the mat')?.mode).toBe('transport-only');

    const sent = await xrayOf(alice, 'the key is under the mat');
    expect(sent.mode).toBe('transport-only');
    expect(sent.envelopes).toEqual([]);
    const [envelope] = sent.transport!.envelopes;
    if (envelope?.server.kind !== 'row') throw new Error('no server row');
    expect(envelope.server).toMatchObject({ by: 'bytes', holdsOpened: true });
    expect(envelope.server.serverReads).toContain('"text":"the key is under the mat"');
    // What crossed the network was sealed to the server's key: not the payload it stores.
    expect(envelope.wire).not.toEqual(new Uint8Array([...sent.transport!.header, ...sent.message, ...sent.padding]));

    // Bob comes back: he never added Alice, yet her conversation opens, tagged with its mode.
    const bob = await online(persona(srv, bobDatabase));
    const seen = await until(bob.state, (s) => s.selected === 'alice' && s.contacts.some((c) => c.username === 'alice') && s.conversation.length > 0);
    expect(seen.conversation.map((e) => [e.text, e.mode])).toEqual([['the key is under the mat', 'transport-only']]);
    await until(alice.state, (s) => s.conversation.some((e) => e.text === 'the key is under the mat' && e.state === 'delivered'));

    const received = await xrayOf(bob, 'the key is under the mat');
    const [delivered] = received.transport!.envelopes;
    if (delivered?.server.kind !== 'row') throw new Error('no server row');
    expect(delivered.server).toMatchObject({ by: 'digest', holdsOpened: true, serverReads: null });
    expect(received.transport!.certificate).toBeNull();
  });

  it('a sealed send: the X-ray shows the certificate inside, which the server reads', async () => {
    const srv = await transportOnlyServer();
    const alice = await online(persona(srv), 'alice');
    const bob = await online(persona(srv), 'bob');
    // Sealed only to someone who has written to us (their message brings the profile key, kept for a contact we have).
    await alice.addContact('bob');
    await bob.addContact('alice');
    await bob.send('write to me sealed');
    await until(alice.state, (s) => s.conversation.some((e) => e.text === 'write to me sealed'));
    await alice.setSealedSender(true);
    await alice.send('sealed, but not from the server');
    await until(bob.state, (s) => s.conversation.some((e) => e.text === 'sealed, but not from the server'));

    for (const model of [alice, bob]) {
      const view = await xrayOf(model, 'sealed, but not from the server');
      expect(view.transport!.certificate).toMatchObject({ sender: 'alice', senderDevice: 1 });
      const [envelope] = view.transport!.envelopes;
      if (envelope?.server.kind !== 'row') throw new Error('no server row');
      // The envelope names no sender; the server read it from the certificate.
      expect(envelope.server.row.sender).toBeNull();
      expect(envelope.server.holdsOpened).toBe(true);
    }
  });
});
