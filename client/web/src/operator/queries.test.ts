/**
 * The operator sections' data layer against the real server (in process, real
 * SQLite): each section's answer as the server holds it, polling that shows a
 * change without a click, failures in the same plain words everywhere, a
 * refused token handed to the page (and not retried), an unreachable server
 * retried, and nothing kept once the page drops the token.
 */
import { QueryObserver, type QueryClient } from '@tanstack/react-query';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { getJson, randomMessageId, RawSocket, register, startInProcess } from '@envelope/testkit/harness.js';
import { stockNote } from './accounts/AccountsSection.js';
import { REFUSED_TEXT, UNREACHABLE_TEXT } from './failure-text.js';
import { OperatorApi } from './operator-api.js';
import { createOperatorQueryClient, NETWORK_RETRIES, sectionQuery, sectionState, type SectionSpec, type SectionState } from './queries.js';
import { ACCOUNTS, REPORTS, warrantFor } from './sections.js';
import { warrantDocument } from './warrant/WarrantDocument.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
let api: OperatorApi;
let body: string;
const clients: QueryClient[] = [];

beforeAll(async () => {
  env = await startInProcess();
  api = new OperatorApi(env.url, env.server.operatorToken);
  const alice = await register(env.url, 'alice', { oneTimePreKeys: 12, oneTimeKemPreKeys: 11 });
  await register(env.url, 'bob');
  const socket = await RawSocket.authenticated(env.url, alice);
  const id = randomMessageId();
  body = toBase64Url(new Uint8Array(120).fill(7).map((v, i) => (i === 0 ? 1 : v)));
  socket.send({ type: 'send', id, to: 'bob', toDevice: 1, body });
  await socket.next((f) => f.type === 'stored' && f.id === id);
  socket.close();
});
afterEach(() => clients.splice(0).forEach((client) => client.clear()));
afterAll(() => env.close());

function newClient(onRefused: () => void = () => {}): QueryClient {
  const client = createOperatorQueryClient(onRefused);
  clients.push(client);
  return client;
}

/** Watches a section as its view does, until its state satisfies `predicate` (the test timeout bounds the wait). */
function until<T>(client: QueryClient, using: OperatorApi, spec: SectionSpec<T>, predicate: (state: SectionState<T>) => boolean): Promise<SectionState<T>> {
  const observer = new QueryObserver(client, sectionQuery(using, spec));
  return new Promise((resolve) => {
    const unsubscribe = observer.subscribe((result) => {
      const state = sectionState(result, spec);
      if (!predicate(state)) return;
      unsubscribe();
      resolve(state);
    });
  });
}

describe('the operator sections’ data layer', () => {
  it('shows each device’s one-time prekeys, and a poll shows a bundle fetch lowering them without a click', async () => {
    const client = newClient();
    const first = await until(client, api, ACCOUNTS, (s) => s.data !== null);
    const device = first.data!.accounts.find((a) => a.username === 'alice')!.devices[0]!;
    expect([device.oneTimePreKeysLeft, device.kemPreKeysLeft]).toEqual([12, 11]);
    expect(stockNote(device)).toBe('');

    const fetcher = await register(env.url, 'fetcher');
    expect((await getJson(`${env.url}/api/accounts/alice/bundle`, fetcher.token)).status).toBe(200);
    expect((await getJson(`${env.url}/api/accounts/alice/bundle`, fetcher.token)).status).toBe(200);
    const alice = (s: SectionState<typeof first.data>) => s.data?.accounts.find((a) => a.username === 'alice')?.devices[0];
    const polled = await until(client, api, ACCOUNTS, (s) => alice(s)!.oneTimePreKeysLeft < 12);
    expect([alice(polled)!.oneTimePreKeysLeft, alice(polled)!.kemPreKeysLeft]).toEqual([10, 9]);
    expect(stockNote(alice(polled)!)).toMatch(/^Low/);
    expect(polled.error).toBeNull();
  });

  it('hands a refused token to the page once, without retrying, and says so in the section', async () => {
    let refusals = 0;
    const client = newClient(() => refusals++);
    const wrong = new OperatorApi(env.url, 'not-the-operator-token');
    const refused = await until(client, wrong, REPORTS, (s) => s.error !== null);
    expect(refused).toMatchObject({ data: null, loading: false, error: REFUSED_TEXT });
    expect(refusals).toBe(1);
    expect(client.getQueryState(sectionQuery(wrong, REPORTS).queryKey)!.fetchFailureCount).toBe(1);
  });

  it('retries a server it cannot reach, then says so in the same words for every section', async () => {
    const gone = await startInProcess();
    const unreachable = new OperatorApi(gone.url, gone.server.operatorToken);
    await gone.close();
    const client = newClient(() => {
      throw new Error('an unreachable server is not a refused token');
    });
    const state = await until(client, unreachable, ACCOUNTS, (s) => s.error !== null);
    expect(state.error).toBe(UNREACHABLE_TEXT);
    expect(client.getQueryState(sectionQuery(unreachable, ACCOUNTS).queryKey)!.fetchFailureCount).toBe(NETWORK_RETRIES + 1);
    // The warrant section words it the same: only what is loaded differs.
    expect((await until(client, unreachable, warrantFor('alice'), (s) => s.error !== null)).error).toBe(UNREACHABLE_TEXT);
  });

  it('answers a warrant request with what the server holds, exports that answer, and names an unknown account', async () => {
    const client = newClient();
    const answer = await client.fetchQuery(sectionQuery(api, warrantFor('alice')));
    expect(answer.account).toBe('alice');
    expect(answer.sentStillWaiting.envelopes.map((e) => [e.recipient, e.ciphertext])).toEqual([['bob', body]]);
    const html = warrantDocument(answer);
    expect(html).toContain(body);
    expect(html).toContain('What the server could not provide');

    const missing = await until(client, api, warrantFor('nobody'), (s) => s.error !== null);
    expect(missing.error).toBe('The server has no account called “nobody”.');
  });

  it('keeps nothing once the page drops the token', async () => {
    const client = newClient();
    await client.fetchQuery(sectionQuery(api, warrantFor('alice')));
    expect(client.getQueryData(sectionQuery(api, warrantFor('alice')).queryKey)).toBeDefined();
    client.clear();
    expect(client.getQueryData(sectionQuery(api, warrantFor('alice')).queryKey)).toBeUndefined();
  });
});

