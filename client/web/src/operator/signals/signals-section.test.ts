/**
 * The signals section's data against the real server (in process, real
 * SQLite): real devices send envelopes through the relay, and the section must
 * show the account the server's detectors flag, with its evidence, and ask
 * again (throttled) once the live stream shows envelopes its answer does not
 * cover. (A refused token reads as in every section: queries.test.ts.)
 */
import { QueryObserver, type QueryClient } from '@tanstack/react-query';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url, cryptoReady } from '@envelope/crypto-public';
import { makeDevice } from '@envelope/testkit/crypto-fixtures.js';
import {
  postJson,
  randomMessageId,
  RawSocket,
  registrationBody,
  startInProcess,
  type RegisteredDevice,
} from '@envelope/testkit/harness.js';
import { OperatorApi } from '../operator-api.js';
import { createOperatorQueryClient, sectionQuery, sectionState, type SectionState } from '../queries.js';
import { SIGNALS } from '../sections.js';
import { refetchDelay, SIGNALS_REFRESH_THROTTLE_MS } from './follow-stream.js';
import type { SignalsResponse } from './schemas.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
const clients: QueryClient[] = [];
const operatorApi = () => new OperatorApi(env.url, env.server.operatorToken);
/** Accounts that declared a minor's age band at sign-up (the sign-up limit keeps the test's accounts few). */
let minors: RegisteredDevice[] = [];

beforeAll(async () => {
  env = await startInProcess();
});
afterEach(() => clients.splice(0).forEach((client) => client.clear()));
afterAll(() => env.close());

/** Registers with a declared age band, as the sign-up form asks. */
async function registerWithBand(username: string, ageBand: string): Promise<RegisteredDevice> {
  await cryptoReady();
  const keys = makeDevice({ oneTimePreKeys: 2, oneTimeKemPreKeys: 1 });
  const challenge = await postJson(`${env.url}/api/auth/challenge`, {});
  const { status, json } = await postJson(`${env.url}/api/accounts`, registrationBody(keys, username, challenge.json.challenge, { ageBand }));
  if (status !== 201) throw new Error(`register ${username}: ${status} ${JSON.stringify(json)}`);
  return { username, deviceId: json.deviceId, token: json.token, keys };
}

const body = () => toBase64Url(new Uint8Array(200).fill(7).map((v, i) => (i === 0 ? 0x01 : v)));

/** Sends one envelope from `from` to each recipient, through the relay; returns the message ids. */
async function sendTo(from: RegisteredDevice, recipients: readonly RegisteredDevice[]): Promise<string[]> {
  const socket = await RawSocket.authenticated(env.url, from);
  const ids: string[] = [];
  for (const to of recipients) {
    const id = randomMessageId();
    ids.push(id);
    socket.send({ type: 'send', id, to: to.username, toDevice: to.deviceId, body: body() });
    await socket.next((f) => f.type === 'stored' && f.id === id);
  }
  socket.close();
  return ids;
}

function newClient(): QueryClient {
  const client = createOperatorQueryClient(() => {
    throw new Error('the token was refused');
  });
  clients.push(client);
  return client;
}

/** Watches the signals section as its view does, until its state satisfies `predicate` (the test timeout bounds the wait). */
function watch(client: QueryClient, api: OperatorApi) {
  const observer = new QueryObserver(client, sectionQuery(api, SIGNALS));
  const state = () => sectionState(observer.getCurrentResult(), SIGNALS);
  const until = (predicate: (state: SectionState<SignalsResponse>) => boolean) =>
    new Promise<SectionState<SignalsResponse>>((resolve) => {
      const check = () => {
        if (!predicate(state())) return;
        unsubscribe();
        resolve(state());
      };
      const unsubscribe = observer.subscribe(check);
      check();
    });
  return { observer, state, until };
}

const flagged = (state: SectionState<SignalsResponse>, detector: string, account: string) =>
  state.data?.detectors.find((d) => d.id === detector)?.flagged.find((f) => f.account === account);

describe('the signals section', () => {
  it('flags an adult who opens conversations with declared minors, with the envelopes as evidence', async () => {
    const adult = await registerWithBand('grown-up', 'adult');
    minors = [await registerWithBand('kid-a', '13-15'), await registerWithBand('kid-b', 'under-13'), await registerWithBand('kid-c', '16-17')];
    const ids = await sendTo(adult, minors);

    const shown = await watch(newClient(), operatorApi()).until((s) => s.data !== null && !s.loading);
    expect(shown.error).toBeNull();
    const detector = shown.data!.detectors.find((d) => d.id === 'cross-age-band')!;
    expect(detector.title).toBe('Contact across declared age bands');
    expect(detector.whatCannotBeKnown.length).toBeGreaterThan(0);
    const hit = flagged(shown, 'cross-age-band', 'grown-up')!;
    expect(hit.score).toBeGreaterThan(0);
    expect(hit.evidence.map((e) => e.messageId)).toEqual(ids);
    // Nobody else did this.
    expect(detector.flagged.map((f) => f.account)).toEqual(['grown-up']);
  });

  it('asks again, within the throttle, once the live stream shows envelopes its answer does not cover, so a new flag appears without Refresh', async () => {
    const section = watch(newClient(), operatorApi());
    const before = await section.until((s) => s.data !== null && !s.loading);
    expect(flagged(before, 'cross-age-band', 'late-comer')).toBeUndefined();
    const covered = before.data!.throughSeq;
    // Seen already, or nothing shown yet: nothing to ask.
    expect(refetchDelay(before, covered, before.settledAt)).toBeNull();
    expect(refetchDelay(before, null, before.settledAt)).toBeNull();

    const late = await registerWithBand('late-comer', 'adult');
    await sendTo(late, minors);
    // What the page does when the stream shows newer envelopes: wait out the throttle from the last answer, then ask.
    const newest = covered + minors.length;
    expect(refetchDelay(before, newest, before.settledAt)).toBe(SIGNALS_REFRESH_THROTTLE_MS);
    expect(refetchDelay(before, newest, before.settledAt + SIGNALS_REFRESH_THROTTLE_MS + 1)).toBe(0);
    // One request at a time: none is scheduled while one runs.
    expect(refetchDelay({ ...before, loading: true }, newest, before.settledAt + SIGNALS_REFRESH_THROTTLE_MS)).toBeNull();
    void section.observer.refetch();
    const after = await section.until((s) => flagged(s, 'cross-age-band', 'late-comer') !== undefined);
    expect(after.data!.throughSeq).toBe(newest);
    expect(flagged(after, 'cross-age-band', 'late-comer')!.evidence).toHaveLength(minors.length);
    expect(refetchDelay(after, newest, after.settledAt)).toBeNull();
  });
});
