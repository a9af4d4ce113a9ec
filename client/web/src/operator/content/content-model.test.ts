/**
 * The operator page model in the modes, against a real server in process and
 * real clients: the switch made on one page reaches another page's live
 * stream; a message sent in transport-only appears in the model's content
 * with its text beside its envelope's seq, and a rule added afterwards flags
 * it (the model reads the log again); back in e2ee, a new message's envelope
 * arrives and its text is nowhere in the model.
 */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MemoryStore } from '@envelope/client-core';
import { liveClients, online } from '@envelope/testkit/live-clients.js';
import { OperatorModel, type OperatorSnapshot } from '../operator-model.js';
import { until as waitFor } from '../../ui/test-data.js';

const live = liveClients();

const until = (model: OperatorModel, predicate: (snapshot: OperatorSnapshot) => boolean): Promise<OperatorSnapshot> => waitFor(model.state, predicate);

describe('the operator model in the policy modes', () => {
  it('follows a switch made elsewhere, shows the text it read with the scanner’s flag, and nothing of a protected message', async () => {
    const server = await live.server();
    const token = server.server.operatorToken;
    const here = new OperatorModel({ baseUrl: server.url });
    const elsewhere = new OperatorModel({ baseUrl: server.url });
    try {
      await here.open(token);
      await elsewhere.open(token);
      await until(elsewhere, (s) => s.connection.kind === 'live' && s.policy?.mode === 'e2ee');

      expect(await here.switchPolicy('transport-only')).toBeNull();
      expect(here.snapshot.policy?.mode).toBe('transport-only');
      await until(elsewhere, (s) => s.policy?.mode === 'transport-only');

      const alice = await live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket }, 'alice');
      const bob = await live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket }, 'bob');
      await online(alice);
      await online(bob);
      await alice.enqueue('bob', 'see you at the old gym');
      const read = await until(elsewhere, (s) => [...s.content.bySeq.values()].some((row) => row.text === 'see you at the old gym'));
      const row = [...read.content.bySeq.values()].find((r) => r.text === 'see you at the old gym')!;
      expect(read.feed.rows.find((envelope) => envelope.seq === row.seq)).toMatchObject({ sender: 'alice', recipient: 'bob', mode: 'transport-only' });
      expect(row.matches).toEqual([]);

      // A rule added now applies to what the server already holds: the model reads the log again.
      const access = here.snapshot.access;
      if (access.kind !== 'open') throw new Error('the page is not open');
      await access.api.addScannerRule({ kind: 'word', pattern: 'gym', label: 'meeting place' });
      await elsewhere.reloadContent();
      const flagged = elsewhere.snapshot.content.bySeq.get(row.seq)!;
      expect(flagged.matches.map((match) => match.label)).toEqual(['meeting place']);

      expect(await here.switchPolicy('e2ee')).toBeNull();
      await until(elsewhere, (s) => s.policy?.mode === 'e2ee' && (s.policy.exposure.messages ?? 0) > 0);
      // Alice's app encrypts under the mode it was told: wait for the switch to reach it.
      if (alice.policy?.mode !== 'e2ee') await new Promise<void>((resolve) => alice.events.on('policy', (p) => p.mode === 'e2ee' && resolve()));
      const lastBefore = elsewhere.snapshot.feed.lastSeq ?? 0;
      await alice.enqueue('bob', 'protected again');
      const after = await until(elsewhere, (s) => s.feed.rows.some((envelope) => envelope.seq > lastBefore && envelope.sender === 'alice' && envelope.mode === 'e2ee'));
      await elsewhere.reloadContent();
      expect(JSON.stringify({ ...after, content: [...elsewhere.snapshot.content.bySeq.values()] })).not.toContain('protected again');
      expect([...elsewhere.snapshot.content.bySeq.values()].map((r) => r.text)).toContain('see you at the old gym');
    } finally {
      here.close();
      elsewhere.close();
    }
  });
});
