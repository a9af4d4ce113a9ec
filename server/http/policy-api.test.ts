/**
 * The policy switch on a real server (in process, real SQLite): the public
 * announcement, the operator's change (token, validation), the `policy` frame
 * each device hears after auth and on every change, the operator stream's
 * `policy` event, and the mode surviving a restart and POLICY_MODE at start.
 */
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { PolicyAnnouncementSchema } from '@envelope/protocol';
import {
  getJson,
  postJson,
  randomMessageId,
  RawSocket,
  register,
  startInProcess,
  StreamReader,
  tempDataDir,
} from '@envelope/testkit/harness.js';

const setMode = (url: string, mode: unknown, token?: string) => postJson(`${url}/api/operator/policy`, { mode }, token);

describe('the policy switch', () => {
  it('announces e2ee by default, publicly, with no transport key and nothing exposed', async () => {
    const env = await startInProcess();
    try {
      const { status, json } = await getJson(`${env.url}/api/policy`);
      expect(status).toBe(200);
      expect(PolicyAnnouncementSchema.parse(json)).toEqual({ mode: 'e2ee', since: 0, exposure: { messages: 0, people: 0 } });
    } finally {
      await env.close();
    }
  });

  it('changes only with the operator token, refuses a mode it does not have, and answers the announcement', async () => {
    const env = await startInProcess();
    try {
      const token = env.server.operatorToken;
      expect((await setMode(env.url, 'transport-only')).status).toBe(401);
      expect((await setMode(env.url, 'transport-only', 'not-the-token-at-all')).status).toBe(401);
      const unknown = await setMode(env.url, 'client-scanning', token);
      expect(unknown.status).toBe(400);
      expect(unknown.json.code).toBe('BAD_REQUEST');
      expect(unknown.json.detail).toMatch(/mode/);
      expect((await postJson(`${env.url}/api/operator/policy`, { mode: 'transport-only', extra: 1 }, token)).status).toBe(400);
      expect((await getJson(`${env.url}/api/policy`)).json.mode).toBe('e2ee');

      const changed = await setMode(env.url, 'transport-only', token);
      expect(changed.status).toBe(200);
      const announcement = PolicyAnnouncementSchema.parse(changed.json);
      expect(announcement.mode).toBe('transport-only');
      expect(announcement.transportKey).toHaveLength(32);
      expect(announcement.since).toBeGreaterThan(0);
      expect((await getJson(`${env.url}/api/policy`)).json).toEqual(changed.json);

      const back = await setMode(env.url, 'e2ee', token);
      expect(back.json.mode).toBe('e2ee');
      expect(back.json.transportKey).toBeUndefined();
      const changes = env.server.db.prepare('SELECT mode, via FROM policy_changes ORDER BY seq').all();
      expect(changes).toEqual([
        { mode: 'transport-only', via: 'operator' },
        { mode: 'e2ee', via: 'operator' },
      ]);
    } finally {
      await env.close();
    }
  });

  it('tells each device the mode right after auth, before its backlog and ready, and every connected device on a change', async () => {
    const env = await startInProcess();
    try {
      const [alice, bob] = await Promise.all([register(env.url, 'alice'), register(env.url, 'bob')]);
      const a = await RawSocket.authenticated(env.url, alice);
      await a.next((f) => f.type === 'policy');
      // A message waits for bob; when bob connects, `policy` comes before it and before `ready`.
      const id = randomMessageId();
      a.send({ type: 'send', id, to: 'bob', toDevice: 1, body: toBase64Url(Uint8Array.of(1, 2, 3, 4)) });
      await a.next((f) => f.type === 'stored' && f.id === id);
      const b = await RawSocket.open(env.url);
      const arrived: string[] = [];
      b.socket.prependListener('message', (data) => arrived.push(JSON.parse(data.toString()).type));
      b.send({ type: 'auth', token: bob.token });
      await b.next((f) => f.type === 'ready');
      expect(arrived).toEqual(['policy', 'message', 'ready']);
      expect(await b.next((f) => f.type === 'policy')).toEqual({ type: 'policy', mode: 'e2ee', since: 0, exposure: { messages: 0, people: 0 } });

      await setMode(env.url, 'transport-only', env.server.operatorToken);
      for (const socket of [a, b]) {
        const frame = await socket.next((f) => f.type === 'policy');
        expect(frame).toMatchObject({ type: 'policy', mode: 'transport-only' });
      }
      a.close();
      b.close();
    } finally {
      await env.close();
    }
  });

  it('puts the mode on the operator stream on connection and on each change', async () => {
    const env = await startInProcess();
    try {
      const stream = await StreamReader.open(env.url, env.server.operatorToken);
      const first = await stream.next((e) => e.type === 'policy');
      expect(JSON.parse(first.data).mode).toBe('e2ee');
      await setMode(env.url, 'transport-only', env.server.operatorToken);
      const change = await stream.next((e) => e.type === 'policy');
      expect(PolicyAnnouncementSchema.parse(JSON.parse(change.data)).mode).toBe('transport-only');
      stream.close();
    } finally {
      await env.close();
    }
  });

  it('keeps the mode across a restart; POLICY_MODE at start sets it and is recorded, unset it leaves the stored mode', async () => {
    const dataDir = tempDataDir();
    const first = await startInProcess({}, { DATA_DIR: dataDir });
    await setMode(first.url, 'transport-only', first.server.operatorToken);
    const key = (await getJson(`${first.url}/api/policy`)).json.transportKey;
    await first.close();

    const second = await startInProcess({}, { DATA_DIR: dataDir });
    const kept = (await getJson(`${second.url}/api/policy`)).json;
    expect(kept.mode).toBe('transport-only');
    // The same transport key: a message sealed before the restart still opens.
    expect(kept.transportKey).toBe(key);
    await second.close();

    const third = await startInProcess({}, { DATA_DIR: dataDir, POLICY_MODE: 'e2ee' });
    expect((await getJson(`${third.url}/api/policy`)).json.mode).toBe('e2ee');
    expect(third.server.db.prepare('SELECT mode, via FROM policy_changes ORDER BY seq').all()).toEqual([
      { mode: 'transport-only', via: 'operator' },
      { mode: 'e2ee', via: 'start' },
    ]);
    await third.close();

    // The same mode again at start changes and records nothing.
    const fourth = await startInProcess({}, { DATA_DIR: dataDir, POLICY_MODE: 'e2ee' });
    expect(fourth.server.db.prepare('SELECT count(*) FROM policy_changes').pluck().get()).toBe(2);
    await fourth.close();
  });

  it('refuses to start on a mode it does not know (stored by a newer version), naming it, unless POLICY_MODE sets one it knows', async () => {
    const dataDir = tempDataDir();
    const first = await startInProcess({}, { DATA_DIR: dataDir });
    first.server.db.prepare("UPDATE policy SET mode = 'client-scanning'").run();
    first.server.db.prepare("INSERT OR IGNORE INTO policy (id, mode, since) VALUES (1, 'client-scanning', 1)").run();
    await first.close();
    await expect(startInProcess({}, { DATA_DIR: dataDir })).rejects.toThrow(/stored policy mode "client-scanning" is not one this server knows/);
    const fixed = await startInProcess({}, { DATA_DIR: dataDir, POLICY_MODE: 'e2ee' });
    expect((await getJson(`${fixed.url}/api/policy`)).json.mode).toBe('e2ee');
    await fixed.close();
  });
});
