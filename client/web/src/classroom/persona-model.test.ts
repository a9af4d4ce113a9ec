/**
 * The persona view model against the real thing: a real server in-process,
 * real EnvelopeClients, IndexedDB (fake-indexeddb, the spec in Node). What a
 * pane shows is read from the model's snapshots, as the view does.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startInProcess } from '@envelope/testkit/harness.js';
import { EnvelopeClient } from '@envelope/client-core';
import { IndexedDbStore } from '../storage/indexeddb-store.js';
import type { Username } from '@envelope/protocol';
import type { OpenClient } from './client-api.js';
import { PersonaModel, type PersonaSnapshot } from './persona-model.js';
import { until } from '../ui/test-data.js';

type Server = Awaited<ReturnType<typeof startInProcess>>;
const cleanup: (() => Promise<void>)[] = [];
let counter = 0;

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(): Promise<Server> {
  const started = await startInProcess();
  cleanup.push(() => started.close());
  return started;
}

function persona(server: Server, database = `persona-test-${++counter}`): PersonaModel {
  const openClient: OpenClient = (store) => EnvelopeClient.open({ serverUrl: server.url, store, WebSocket });
  const model = new PersonaModel({ id: database, openStore: () => IndexedDbStore.open(database), openClient });
  cleanup.push(() => model.dispose());
  return model;
}

async function joined(server: Server, name: string): Promise<PersonaModel> {
  const model = persona(server);
  await model.start();
  expect(model.state.get().phase).toBe('join');
  await model.join(name);
  await until(model.state, (s) => s.phase === 'ready' && s.status === 'online');
  return model;
}

const texts = (s: PersonaSnapshot) => s.conversation.map((entry) => `${entry.direction}:${entry.text}:${entry.state}`);

describe('PersonaModel', () => {
  it('joins, adds a contact by name, and chats both ways with delivery state in the snapshot', async () => {
    const srv = await server();
    const alice = await joined(srv, ' Alice ');
    const bob = await joined(srv, 'bob');
    expect(alice.state.get().username).toBe('alice');

    expect(await alice.addContact('bob')).toBe(true);
    expect(alice.state.get().selected).toBe('bob');
    expect(await alice.send('hello bob')).toBe(true);
    await until(alice.state, (s) => texts(s).some((t) => /^sent:hello bob:(stored|delivered)$/.test(t)));

    // Bob had nothing open: the arrival opens the conversation.
    await until(bob.state, (s) => s.selected === 'alice' && texts(s).includes('received:hello bob:received'));
    await bob.send('hi alice');
    await until(alice.state, (s) => texts(s).includes('received:hi alice:received'));
    await until(alice.state, (s) => texts(s).includes('sent:hello bob:delivered'));
  });

  it('a second pane on the same database (another tab, no Web Locks) takes the persona over; the first stops and says so', async () => {
    const srv = await server();
    const bob = await joined(srv, 'bob');
    const firstTab = persona(srv, 'persona-two-tabs');
    await firstTab.start();
    await firstTab.join('alice');
    await until(firstTab.state, (s) => s.phase === 'ready' && s.status === 'online');
    await firstTab.addContact('bob');
    await firstTab.send('from the first tab');

    const secondTab = persona(srv, 'persona-two-tabs');
    await secondTab.start();
    // Its connection pushes the first tab's off the server; the first tab finds it no longer owns the profile.
    await until(firstTab.state, (s) => s.phase === 'taken-over');
    expect(firstTab.state.get()).toMatchObject({ status: 'offline', dialog: null });
    expect(await firstTab.send('too late')).toBe(false);

    await until(secondTab.state, (s) => s.phase === 'ready' && s.status === 'online' && s.selected === 'bob');
    expect(await secondTab.send('from the second tab')).toBe(true);
    await until(bob.state, (s) => texts(s).includes('received:from the first tab:received') && texts(s).includes('received:from the second tab:received'));
    expect(texts(bob.state.get()).filter((t) => t.startsWith('received:'))).toEqual(['received:from the first tab:received', 'received:from the second tab:received']);
  });

  it('a damaged record in the browser’s copy of a persona is said in plain words on the pane, not a blank or a crash', async () => {
    const srv = await server();
    const bob = await joined(srv, 'bob');
    const first = persona(srv, 'persona-damaged');
    await first.start();
    await first.join('alice');
    await until(first.state, (s) => s.phase === 'ready' && s.status === 'online');
    await first.addContact('bob');
    await first.send('hello');
    await until(bob.state, (s) => texts(s).includes('received:hello:received'));
    await bob.send('hi');
    await until(first.state, (s) => texts(s).includes('received:hi:received'));
    await first.dispose();

    // Something damages one stored message (a disk fault, a hand edit).
    const store = await IndexedDbStore.open('persona-damaged');
    const [inboxKey] = await store.list('inbox/');
    await store.put({ [inboxKey!]: { ...((await store.get(inboxKey!)) as object), storedAt: 'yesterday' } });
    store.close();

    const reopened = persona(srv, 'persona-damaged');
    await reopened.start();
    const shown = await until(reopened.state, (s) => s.notice !== null);
    expect(shown.notice).toMatch(/damaged \(a stored inbox entry\).*Remove this participant and join again/);
    expect(shown.phase).toBe('ready');
  });

  it('explains in plain words a taken name and an unknown contact', async () => {
    const srv = await server();
    await joined(srv, 'carol');
    const second = persona(srv);
    await second.start();
    await second.join('carol');
    expect(second.state.get()).toMatchObject({ phase: 'join', joinError: expect.stringMatching(/already taken/) });

    const dave = await joined(srv, 'dave');
    expect(await dave.addContact('nobody-here')).toBe(false);
    expect(dave.state.get().addContactError).toMatch(/Nobody called “nobody-here” has joined/);
    expect(await dave.addContact('dave')).toBe(false);
    expect(dave.state.get().addContactError).toMatch(/That is you/);
  });

  it('a contact resetting keys shows the warning, holds their message, and "Accept new key" releases it', async () => {
    const srv = await server();
    const alice = await joined(srv, 'alice');
    const bob = await joined(srv, 'bob');
    await alice.addContact('bob');
    await alice.send('before');
    await until(bob.state, (s) => texts(s).includes('received:before:received'));

    // Alice verifies Bob first, so the change is the strong kind.
    await alice.dialogs.openSafetyNumber('bob' as Username);
    const dialog = await until(alice.state, (s) => s.dialog?.kind === 'safety' && s.dialog.number !== null);
    expect(dialog.dialog).toMatchObject({ kind: 'safety', number: { safetyNumber: expect.stringMatching(/^(\d{5} ){11}\d{5}$/) } });
    await alice.dialogs.markVerified();
    await until(alice.state, (s) => s.contacts.some((c) => c.username === 'bob' && c.verified));
    alice.dialogs.close();

    bob.dialogs.requestReset();
    await bob.dialogs.confirmReset();
    expect(bob.state.get()).toMatchObject({ dialog: null, notice: expect.stringMatching(/safety number changed/) });
    await bob.send('after the reset');

    const warned = await until(alice.state, (s) => s.contacts.some((c) => c.username === 'bob' && c.keyChanged));
    expect(warned.contacts.find((c) => c.username === 'bob')).toMatchObject({ changedAfterVerification: true });
    expect(texts(warned)).not.toContain('received:after the reset:received');

    await alice.acceptNewKey('bob' as Username);
    const released = await until(alice.state, (s) => texts(s).includes('received:after the reset:received'));
    expect(released.contacts.find((c) => c.username === 'bob')).toMatchObject({ keyChanged: false, verified: false });
  });

  it('when the contact who did not reset writes first, they get the warning and a held row; accepting flags what could not be read', async () => {
    const srv = await server();
    const alice = await joined(srv, 'alice');
    const bob = await joined(srv, 'bob');
    await alice.addContact('bob');
    await alice.send('before');
    await until(bob.state, (s) => texts(s).includes('received:before:received'));
    await bob.send('hi');
    await until(alice.state, (s) => texts(s).includes('received:hi:received'));
    // No wait for the receipts: Alice's receipt for "hi" may still be on its way to Bob's old
    // key when he resets. Marked a receipt, it is dropped there unseen and spends no notice.

    bob.dialogs.requestReset();
    await bob.dialogs.confirmReset();
    await alice.send('to the old key');
    // Bob cannot read it; his device answers from the new key, which Alice holds until she decides.
    await until(bob.state, (s) => s.conversation.some((e) => e.state === 'undecryptable'));
    const warned = await until(alice.state, (s) => s.contacts.some((c) => c.username === 'bob' && c.keyChanged) && texts(s).includes('received:null:held'));
    expect(warned.contacts.find((c) => c.username === 'bob')).toMatchObject({ changedAfterVerification: false });
    expect(warned.conversation.find((e) => e.text === 'to the old key')?.unreadableByPeer).toBeUndefined();

    await alice.acceptNewKey('bob' as Username);
    const flagged = await until(alice.state, (s) => s.conversation.some((e) => e.text === 'to the old key' && e.unreadableByPeer === true));
    expect(texts(flagged).filter((t) => t.endsWith(':held'))).toEqual([]);
    expect(flagged.contacts.find((c) => c.username === 'bob')).toMatchObject({ keyChanged: false });

    expect(await alice.send('to the new key')).toBe(true);
    await until(bob.state, (s) => texts(s).includes('received:to the new key:received'));
  });

  it('the X-ray of a message to an offline recipient matches the row the server still stores', async () => {
    const srv = await server();
    const alice = await joined(srv, 'alice');
    const bob = await joined(srv, 'bob');
    await bob.dispose(); // Bob's device goes offline: the envelope waits at the server.
    await alice.addContact('bob');
    await alice.send('secret plans');
    const sent = await until(alice.state, (s) => s.conversation.some((e) => e.text === 'secret plans' && e.state === 'stored'));
    await alice.dialogs.openXray(sent.conversation.find((e) => e.text === 'secret plans')!.id);
    const { dialog } = await until(alice.state, (s) => s.dialog?.kind === 'xray' && (s.dialog.view !== null || s.dialog.error !== null));
    if (dialog?.kind !== 'xray' || !dialog.view) throw new Error(`no X-ray: ${dialog?.kind === 'xray' ? dialog.error : 'closed'}`);
    const view = dialog.view;
    expect(view.text).toBe('secret plans');
    expect(new TextDecoder().decode(view.message)).toContain('secret plans');
    expect(view.padding[0]).toBe(0x80);
    expect(view.padding.subarray(1).every((b) => b === 0)).toBe(true);
    expect(view.envelopes).toHaveLength(1);
    const [envelope] = view.envelopes;
    expect(envelope!.step.handshake).toBe('pqxdh');
    expect(Buffer.from(envelope!.ciphertext).includes(Buffer.from('secret plans'))).toBe(false);
    if (envelope!.server.kind !== 'row') throw new Error(envelope!.server.reason);
    expect(envelope!.server.row).toMatchObject({ sender: 'alice', recipient: 'bob', deliveredAt: null, size: envelope!.ciphertext.length });
    expect(envelope!.server.check).toMatchObject({ by: 'bytes', matches: true });
    expect(envelope!.server.row.ciphertextSha256).toBe(envelope!.server.check.ourDigest);
  });

  it('the X-ray of a sealed message shows the sealed layer on both sides, and both match the server’s row', async () => {
    const srv = await server();
    const alice = await joined(srv, 'alice');
    const bob = await joined(srv, 'bob');
    // Sealed only to someone who has written to us (their profile key opens the server's door).
    await bob.addContact('alice');
    await bob.send('write to me sealed');
    await until(alice.state, (s) => s.conversation.some((e) => e.text === 'write to me sealed'));
    await alice.setSealedSender(true);
    await alice.addContact('bob');
    await alice.send('sealed plans');
    const received = await until(bob.state, (s) => s.conversation.some((e) => e.text === 'sealed plans'));
    const sent = alice.state.get();
    const views = [];
    for (const [model, snapshot] of [
      [alice, sent],
      [bob, received],
    ] as const) {
      await model.dialogs.openXray(snapshot.conversation.find((e) => e.text === 'sealed plans')!.id);
      const { dialog } = await until(model.state, (s) => s.dialog?.kind === 'xray' && (s.dialog.view !== null || s.dialog.error !== null));
      if (dialog?.kind !== 'xray' || !dialog.view) throw new Error(`no X-ray: ${dialog?.kind === 'xray' ? dialog.error : 'closed'}`);
      views.push(dialog.view);
    }
    for (const view of views) {
      const [envelope] = view.envelopes;
      // Bob wrote first, so Alice's sealed message continues his session: an ordinary ratchet message inside.
      expect(envelope!.step.handshake).toBeNull();
      expect(envelope!.sealed).toMatchObject({ sender: 'alice', senderDevice: 1, plaintextBucket: 256 });
      expect(envelope!.sealed!.layout.total).toBe(envelope!.ciphertext.length);
      if (envelope!.server.kind !== 'row') throw new Error(envelope!.server.reason);
      expect(envelope!.server.row).toMatchObject({ sender: null, recipient: 'bob', kind: 'sealed', size: envelope!.ciphertext.length });
      expect(envelope!.server.check.matches).toBe(true);
    }
    expect(views.map((v) => v.direction)).toEqual(['sent', 'received']);
    expect(views[0]!.envelopes[0]!.sessionMessage).toEqual(views[1]!.envelopes[0]!.sessionMessage);
  });
});
