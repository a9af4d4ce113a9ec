import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url, cryptoReady } from '@envelope/crypto-public';
import { makeDevice } from '@envelope/testkit/crypto-fixtures.js';
import { OperatorEnvelopesResponseSchema, SignalsResponseSchema, type SignalsResponse } from '@envelope/protocol';
import {
  getJson,
  postJson,
  randomMessageId,
  RawSocket,
  register,
  registrationBody,
  startInProcess,
  tempDataDir,
  type RegisteredDevice,
} from '@envelope/testkit/harness.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
const dataDir = tempDataDir();
let adult: RegisteredDevice;
const minors: RegisteredDevice[] = [];
const sentIds: string[] = [];

/** Registers with a declared age band, as the sign-up form asks. */
async function registerWithBand(url: string, username: string, ageBand: string): Promise<RegisteredDevice> {
  await cryptoReady();
  const keys = makeDevice({ oneTimePreKeys: 2, oneTimeKemPreKeys: 1 });
  const challenge = await postJson(`${url}/api/auth/challenge`, {});
  const { status, json } = await postJson(`${url}/api/accounts`, registrationBody(keys, username, challenge.json.challenge, { ageBand }));
  if (status !== 201) throw new Error(`register ${username}: ${status} ${JSON.stringify(json)}`);
  return { username, deviceId: json.deviceId, token: json.token, keys };
}

const body = () => toBase64Url(new Uint8Array(200).fill(7).map((v, i) => (i === 0 ? 0x01 : v)));

beforeAll(async () => {
  env = await startInProcess({}, { DATA_DIR: dataDir });
  adult = await registerWithBand(env.url, 'grown-up', 'adult');
  for (const [name, band] of [['kid-a', '13-15'], ['kid-b', 'under-13'], ['kid-c', '16-17']] as const) minors.push(await registerWithBand(env.url, name, band));
  const friend = await register(env.url, 'friend');
  const socket = await RawSocket.authenticated(env.url, adult);
  for (const to of [...minors, friend]) {
    const id = randomMessageId();
    sentIds.push(id);
    socket.send({ type: 'send', id, to: to.username, toDevice: 1, body: body() });
    await socket.next((f) => f.type === 'stored' && f.id === id);
  }
  socket.close();
});
afterAll(() => env.close());

async function signals(url: string, token: string | undefined, query = ''): Promise<{ status: number; json: unknown }> {
  return getJson(`${url}/api/operator/signals${query}`, token);
}

describe('GET /api/operator/signals', () => {
  it('refuses without the operator token, or with a device token', async () => {
    expect((await signals(env.url, undefined)).status).toBe(401);
    expect((await signals(env.url, adult.token)).status).toBe(401);
    expect((await signals(env.url, 'not-the-token')).status).toBe(401);
  });

  it('returns schema-valid signals after real traffic, the adult flagged with the envelopes it sent to minors', async () => {
    const { status, json } = await signals(env.url, env.server.operatorToken);
    expect(status).toBe(200);
    const response = SignalsResponseSchema.parse(json);
    expect(response.detectors.map((d) => d.id)).toEqual(['stranger-contacts', 'cross-age-band', 'fan-out', 'one-way', 'new-account-volume', 'user-reports']);
    const ageBands = response.detectors.find((d) => d.id === 'cross-age-band')!;
    expect(ageBands.observed).toBe(4);
    expect(ageBands.unattributable).toBe(0);
    expect(ageBands.flagged.map((f) => f.account)).toEqual(['grown-up']);
    // The evidence names the very envelopes the operator view lists, by seq and id (not the one to the adult friend).
    const { envelopes } = OperatorEnvelopesResponseSchema.parse((await getJson(`${env.url}/api/operator/envelopes`, env.server.operatorToken)).json);
    const toMinors = envelopes.filter((e) => e.recipient.startsWith('kid-')).map((e) => ({ seq: e.seq, messageId: e.messageId }));
    expect(ageBands.flagged[0]!.evidence).toEqual(toMinors.sort((a, b) => a.seq - b.seq));
    expect(ageBands.flagged[0]!.evidence.map((e) => e.messageId)).toEqual(sentIds.slice(0, 3));
    expect(response.throughSeq).toBe(Math.max(...envelopes.map((e) => e.seq)));
  });

  it('?rescan=1 over the whole log gives the same signals as the live feed', async () => {
    const live = SignalsResponseSchema.parse((await signals(env.url, env.server.operatorToken)).json);
    const rescanned = SignalsResponseSchema.parse((await signals(env.url, env.server.operatorToken, '?rescan=1')).json);
    expect(rescanned).toEqual(live);
  });

  it('survives a restart: the start-up scan rebuilds the same signals from the log', async () => {
    const before: SignalsResponse = SignalsResponseSchema.parse((await signals(env.url, env.server.operatorToken)).json);
    await env.close();
    env = await startInProcess({}, { DATA_DIR: dataDir });
    const after = SignalsResponseSchema.parse((await signals(env.url, env.server.operatorToken)).json);
    expect(after).toEqual(before);
    expect(after.detectors.find((d) => d.id === 'cross-age-band')!.flagged).toHaveLength(1);
  });

  it('with SIGNALS=off nothing runs on the hot path, and ?rescan=1 still computes the same signals on demand', async () => {
    const live = SignalsResponseSchema.parse((await signals(env.url, env.server.operatorToken)).json);
    await env.close();
    env = await startInProcess({}, { DATA_DIR: dataDir, SIGNALS: 'off' });
    const idle = SignalsResponseSchema.parse((await signals(env.url, env.server.operatorToken)).json);
    expect(idle.detectors.find((d) => d.id === 'cross-age-band')!.flagged).toEqual([]);
    const onDemand = SignalsResponseSchema.parse((await signals(env.url, env.server.operatorToken, '?rescan=1')).json);
    expect(onDemand).toEqual(live);
  });
});
