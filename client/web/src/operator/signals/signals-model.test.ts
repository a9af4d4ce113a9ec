/**
 * The signals section's view model against the real server (in process, real
 * SQLite): real devices send envelopes through the relay, and the model must
 * show the account the server's detectors flag, with its evidence; it must
 * re-fetch after the live stream shows new envelopes; and without a valid
 * token it shows nothing.
 */
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
import { SignalsModel, type SignalsSnapshot } from './signals-model.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
const models: SignalsModel[] = [];
/** Accounts that declared a minor's age band at sign-up (the sign-up limit keeps the test's accounts few). */
let minors: RegisteredDevice[] = [];

beforeAll(async () => {
  env = await startInProcess();
});
afterEach(() => models.splice(0).forEach((model) => model.close()));
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

function newModel(throttleMs?: number): SignalsModel {
  const model = new SignalsModel({ baseUrl: env.url, ...(throttleMs === undefined ? {} : { throttleMs }) });
  models.push(model);
  return model;
}

/** Resolves once the model's snapshot satisfies `predicate` (the test timeout bounds the wait). */
function until(model: SignalsModel, predicate: (snapshot: SignalsSnapshot) => boolean): Promise<SignalsSnapshot> {
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

const flagged = (snapshot: SignalsSnapshot, detector: string, account: string) =>
  snapshot.signals?.detectors.find((d) => d.id === detector)?.flagged.find((f) => f.account === account);

describe('the signals view model', () => {
  it('shows nothing without a valid token, and says why', async () => {
    const locked = newModel();
    await locked.refresh();
    expect(locked.snapshot).toEqual({ signals: null, loading: false, error: null });
    const wrong = newModel();
    wrong.useToken('a-wrong-token-of-the-right-shape');
    const refused = await until(wrong, (s) => s.error !== null);
    expect(refused.signals).toBeNull();
    expect(refused.error).toContain('refused the operator token');
  });

  it('flags an adult who opens conversations with declared minors, with the envelopes as evidence, and drops it on lock', async () => {
    const adult = await registerWithBand('grown-up', 'adult');
    minors = [await registerWithBand('kid-a', '13-15'), await registerWithBand('kid-b', 'under-13'), await registerWithBand('kid-c', '16-17')];
    const ids = await sendTo(adult, minors);

    const model = newModel();
    model.useToken(env.server.operatorToken);
    const shown = await until(model, (s) => s.signals !== null && !s.loading);
    expect(shown.error).toBeNull();
    const detector = shown.signals!.detectors.find((d) => d.id === 'cross-age-band')!;
    expect(detector.title).toBe('Contact across declared age bands');
    expect(detector.whatCannotBeKnown.length).toBeGreaterThan(0);
    const hit = flagged(shown, 'cross-age-band', 'grown-up')!;
    expect(hit.score).toBeGreaterThan(0);
    expect(hit.evidence.map((e) => e.messageId)).toEqual(ids);
    // Nobody else did this.
    expect(detector.flagged.map((f) => f.account)).toEqual(['grown-up']);

    model.useToken(null);
    expect(model.snapshot.signals).toBeNull();
  });

  it('re-fetches after the live stream shows new envelopes, so a new flag appears without Refresh', async () => {
    const model = newModel(0);
    model.useToken(env.server.operatorToken);
    const before = await until(model, (s) => s.signals !== null && !s.loading);
    expect(flagged(before, 'cross-age-band', 'late-comer')).toBeUndefined();
    // Seen already: nothing to fetch.
    model.sawEnvelopesThrough(before.signals!.throughSeq);
    expect(model.snapshot.loading).toBe(false);

    const late = await registerWithBand('late-comer', 'adult');
    await sendTo(late, minors);
    // What the page does when the stream shows a newer envelope than the signals have seen.
    model.sawEnvelopesThrough(before.signals!.throughSeq + minors.length);
    const after = await until(model, (s) => flagged(s, 'cross-age-band', 'late-comer') !== undefined);
    expect(after.signals!.throughSeq).toBe(before.signals!.throughSeq + minors.length);
    expect(flagged(after, 'cross-age-band', 'late-comer')!.evidence).toHaveLength(minors.length);
  });
});
