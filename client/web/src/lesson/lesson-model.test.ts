/**
 * The presenter panel's model against the real server (in process, real
 * SQLite): it ticks "join" when an account is registered and "chat" when an
 * envelope reaches the relay, as the operator stream reports them, catches up
 * on what happened before it opened, starts over when the class is reset, and
 * opens nothing without the operator token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { postJson, randomMessageId, RawSocket, register, startInProcess } from '@envelope/testkit/harness.js';
import { LESSON_STEPS } from './lesson.js';
import { LessonModel, type LessonKeeper, type LessonSnapshot } from './lesson-model.js';
import { isDone } from './lesson-progress.js';

const running: { close(): Promise<void> }[] = [];
const models: LessonModel[] = [];
afterEach(async () => {
  models.splice(0).forEach((model) => model.close());
  for (const thing of running.splice(0).reverse()) await thing.close();
});

function memoryKeeper(): LessonKeeper & { stored: string | null } {
  const keeper = {
    stored: null as string | null,
    rememberToken: () => {},
    forgetToken: () => {},
    loadProgress: () => keeper.stored,
    saveProgress: (text: string) => void (keeper.stored = text),
  };
  return keeper;
}

function until(model: LessonModel, predicate: (s: LessonSnapshot) => boolean): Promise<LessonSnapshot> {
  return new Promise((resolve) => {
    const check = () => {
      if (!predicate(model.snapshot)) return;
      unsubscribe();
      resolve(model.snapshot);
    };
    const unsubscribe = model.state.subscribe(check);
    check();
  });
}

describe('the presenter panel’s model', () => {
  it('ticks join and chat from the live stream, catches up when reopened, and starts over on a reset of the class', async () => {
    const env = await startInProcess();
    running.push(env);
    const keeper = memoryKeeper();
    const model = new LessonModel(LESSON_STEPS, keeper, env.url);
    models.push(model);
    await model.open(env.server.operatorToken);
    await until(model, (s) => s.connection.kind === 'live');
    expect(LESSON_STEPS.some((step) => isDone(model.snapshot.progress, step.id))).toBe(false);

    const alice = await register(env.url, 'alice');
    await until(model, (s) => isDone(s.progress, 'join'));
    expect(model.snapshot.progress.evidence.join).toBe('alice joined');
    expect(model.snapshot.announcement).toBe('Step 1 done, Join: alice joined.');
    expect(isDone(model.snapshot.progress, 'chat')).toBe(false);

    await register(env.url, 'bob');
    const socket = await RawSocket.authenticated(env.url, alice);
    running.push({ close: async () => socket.close() });
    const id = randomMessageId();
    socket.send({ type: 'send', id, to: 'bob', toDevice: 1, body: toBase64Url(Uint8Array.of(1, 9, 9, 9)) });
    await until(model, (s) => isDone(s.progress, 'chat'));
    expect(model.snapshot.progress.evidence.chat).toBe('a message for bob reached the server from alice');

    // A second panel (a reload) catches up from the server: the accounts and the log's backfill.
    const reopened = new LessonModel(LESSON_STEPS, memoryKeeper(), env.url);
    models.push(reopened);
    await reopened.open(env.server.operatorToken);
    await until(reopened, (s) => isDone(s.progress, 'chat'));
    expect(reopened.snapshot.progress.evidence.join).toBe('2 people have joined');

    // The first panel kept its progress where the page keeps it.
    expect(JSON.parse(keeper.stored!).evidence.chat).toBeDefined();
    expect((await postJson(`${env.url}/api/operator/class/reset`, { confirm: 'reset the class' }, env.server.operatorToken)).status).toBe(200);
    await until(model, (s) => !isDone(s.progress, 'join'));
    expect(model.snapshot.announcement).toBe('The class was reset: the lesson starts over.');
    expect(JSON.parse(keeper.stored!).evidence).toEqual({});
  });

  it('opens nothing with a wrong token', async () => {
    const env = await startInProcess();
    running.push(env);
    const model = new LessonModel(LESSON_STEPS, memoryKeeper(), env.url);
    models.push(model);
    await model.open('not-the-operator-token');
    expect(model.snapshot.access).toEqual({ kind: 'needs-token', problem: 'refused' });
    await model.open('#token=');
    expect(model.snapshot.access).toEqual({ kind: 'needs-token', problem: 'not-a-token' });
  });
});
