/**
 * The escrow key and its shares (escrow-key.ts) on a real data directory:
 * made once and split 2 of 3 into private files; any two holders rebuild
 * exactly the escrow key; anything else is refused with a typed error, never
 * a wrong key handed back.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady, fromBase64Url } from '@envelope/crypto-public';
import type { EscrowHolder } from '@envelope/protocol';
import { EscrowError, escrowKeyStore } from './escrow-key.js';
import { lawfulAccessReady, sodium } from './sodium.js';

beforeAll(async () => {
  await Promise.all([cryptoReady(), lawfulAccessReady()]);
});

const freshDir = () => mkdtempSync(join(tmpdir(), 'envelope-escrow-'));

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return error instanceof EscrowError ? error.code : `OTHER: ${String(error)}`;
  }
}

describe('the escrow key', () => {
  it('is made once (even when asked twice at once), its shares in 0600 files, and only its public key kept', async () => {
    const dir = freshDir();
    const store = escrowKeyStore(dir);
    expect(store.current()).toBeNull();
    const [a, b] = await Promise.all([store.prepare(16), store.prepare(16)]);
    expect(a.publicKey).toBe(b.publicKey);
    expect(statSync(join(dir, 'escrow-shares')).mode & 0o777).toBe(0o700);
    for (const { file } of store.shareFiles()) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'escrow-public.json'), 'utf8'))).sort()).toEqual(['checkBits', 'createdAt', 'publicKey']);
    // A restart reads the same key; a new width is kept, the key is not remade.
    const again = escrowKeyStore(dir);
    expect((await again.prepare(64)).publicKey).toBe(a.publicKey);
    expect(escrowKeyStore(dir).current()?.checkBits).toBe(64);
  });

  it('any two holders rebuild the escrow key; one, the same share twice, or a share of another key are refused', async () => {
    const store = escrowKeyStore(freshDir());
    const other = escrowKeyStore(freshDir());
    const { publicKey } = await store.prepare(16);
    await other.prepare(16);
    const share = (holder: EscrowHolder, from = store) => ({ holder, share: from.readShare(holder) });
    for (const pair of [['court', 'agency'], ['court', 'provider'], ['agency', 'provider']] as const) {
      const key = await store.combine(pair.map((h) => share(h)));
      expect(sodium().crypto_scalarmult_base(key)).toEqual(fromBase64Url(publicKey, 'publicKey', 32));
    }
    expect(await refusal(store.combine([share('court')]))).toBe('BAD_REQUEST');
    expect(await refusal(store.combine([share('court'), { holder: 'agency', share: share('court').share }]))).toBe('SHARES_DO_NOT_FIT');
    expect(await refusal(store.combine([share('court'), share('agency', other)]))).toBe('SHARES_DO_NOT_FIT');
    expect(await refusal(store.combine([share('court'), { holder: 'agency', share: 'AAAAAAAAAAAA' }]))).toBe('SHARES_DO_NOT_FIT');
    expect(await refusal(escrowKeyStore(freshDir()).combine([share('court'), share('agency')]))).toBe('ESCROW_NOT_SET_UP');
  });
});
