/**
 * The classroom page model over IndexedDB (fake-indexeddb): a first visit
 * starts with one pane waiting for a name; panes come back after a reload,
 * with the names they joined as; removing one deletes its database.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IndexedDbStore } from '../storage/indexeddb-store.js';
import { personaDatabaseName, PersonaRegistry } from '../storage/personas.js';
import type { ChatClient, OpenClient } from './client-api.js';
import { ClassroomModel } from './classroom-model.js';

/** A client for a profile that has not joined (the panes here never get further than the join form). */
const notJoined: OpenClient = async () => ({ account: null, status: 'offline', events: { on: () => () => undefined }, close: async () => undefined }) as unknown as ChatClient;

function classroom(joinAnswer: () => Promise<Response>): ClassroomModel {
  return new ClassroomModel({
    openClient: notJoined,
    registry: () => PersonaRegistry.open(),
    openStore: (name) => IndexedDbStore.open(name),
    origin: 'http://127.0.0.1:3000',
    fetch: joinAnswer as unknown as typeof fetch,
  });
}

const joinInfo = () => Promise.resolve(new Response(JSON.stringify({ urls: ['http://192.168.1.20:3000'], network: true })));

describe('ClassroomModel', () => {
  it('starts a first visit with one pane, keeps panes across a reload, and removes one with its keys', async () => {
    const first = classroom(joinInfo);
    await first.start();
    expect(first.state.get().personas).toHaveLength(1);
    await first.addParticipant();
    const [a, b] = first.state.get().personas;
    expect(first.state.get().join).toEqual({ urls: ['http://192.168.1.20:3000'], network: true });

    const registry = await PersonaRegistry.open();
    await registry.setUsername(b!.id, 'bob');
    const bobStore = await IndexedDbStore.open(personaDatabaseName(b!.id));
    await bobStore.put({ marker: 1 });
    bobStore.close();

    const reloaded = classroom(joinInfo);
    await reloaded.start();
    expect(reloaded.state.get().personas.map((p) => p.id)).toEqual([a!.id, b!.id]);
    expect(reloaded.state.get().personas[1]!.state.get().username).toBe('bob');

    await first.remove(b!.id); // the first page's model still holds the pane
    expect((await registry.list()).map((p) => p.id)).toEqual([a!.id]);
    const emptied = await IndexedDbStore.open(personaDatabaseName(b!.id));
    expect(await emptied.list('')).toEqual([]);
    emptied.close();
    registry.close();
  });

  it('falls back to the page’s own address when the server cannot say where to join', async () => {
    const model = classroom(() => Promise.reject(new TypeError('network down')));
    await model.start();
    await new Promise<void>((resolve) => {
      const off = model.state.subscribe(() => model.state.get().join && (off(), resolve()));
      if (model.state.get().join) resolve();
    });
    expect(model.state.get().join).toEqual({ urls: ['http://127.0.0.1:3000'], network: false });
  });
});
