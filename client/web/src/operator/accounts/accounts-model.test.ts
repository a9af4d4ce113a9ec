/**
 * The accounts list's model against the real server (in process, real SQLite):
 * it shows each device's one-time prekeys as the server holds them, a bundle
 * fetch lowers them on the next refresh, and nothing loads without the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, register, startInProcess } from '@envelope/testkit/harness.js';
import { AccountsModel, type AccountsSnapshot } from './accounts-model.js';
import { stockNote } from './AccountsSection.js';

let env: Awaited<ReturnType<typeof startInProcess>>;

beforeAll(async () => {
  env = await startInProcess();
  await register(env.url, 'alice', { oneTimePreKeys: 12, oneTimeKemPreKeys: 11 });
  await register(env.url, 'bob');
});
afterAll(() => env.close());

function until(model: AccountsModel, predicate: (snapshot: AccountsSnapshot) => boolean): Promise<AccountsSnapshot> {
  return new Promise((resolve) => {
    const check = () => {
      if (predicate(model.snapshot)) {
        unsubscribe();
        resolve(model.snapshot);
      }
    };
    const unsubscribe = model.state.subscribe(check);
    check();
  });
}

describe('the accounts list', () => {
  it('shows each device’s one-time prekeys left, and a fetch lowers them', async () => {
    const model = new AccountsModel({ baseUrl: env.url, pollMs: 60_000 });
    model.useToken(env.server.operatorToken);
    const first = await until(model, (s) => s.accounts !== null);
    const device = first.accounts!.find((a) => a.username === 'alice')!.devices[0]!;
    expect([device.oneTimePreKeysLeft, device.kemPreKeysLeft]).toEqual([12, 11]);
    expect(stockNote(device)).toBe('');

    const bob = await register(env.url, 'bob-2');
    expect((await getJson(`${env.url}/api/accounts/alice/bundle`, bob.token)).status).toBe(200);
    expect((await getJson(`${env.url}/api/accounts/alice/bundle`, bob.token)).status).toBe(200);
    await model.refresh();
    const after = model.snapshot.accounts!.find((a) => a.username === 'alice')!.devices[0]!;
    expect([after.oneTimePreKeysLeft, after.kemPreKeysLeft]).toEqual([10, 9]);
    expect(stockNote(after)).toMatch(/^Low/);
    expect(stockNote({ oneTimePreKeysLeft: 0, kemPreKeysLeft: 5 })).toMatch(/^None left/);
    model.close();
  });

  it('loads nothing with a wrong token, and says so', async () => {
    const model = new AccountsModel({ baseUrl: env.url, pollMs: 60_000 });
    model.useToken('not-the-operator-token');
    const snapshot = await until(model, (s) => s.error !== null);
    expect(snapshot.accounts).toBeNull();
    expect(snapshot.error).toContain('refused');
    model.close();
  });
});
