/**
 * The rogue app's parts on their own (rogue.ts): the sliced search yields to
 * the event loop between slices, reports its tries, stops on Cancel and on
 * its budget (one budget over every field it is asked for), and a field it
 * finds passes the compliant check (the real one); the text encrypted inside
 * opens only with the inner key, whole. The sends themselves are tested with
 * a real server in server/integration/rogue-client.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { cryptoReady, randomBytes } from '@envelope/crypto-public';
import { checkAccessField, type SessionDisclosure } from '@envelope/crypto';
import { INSIDE_PREFIX, MAX_INSIDE_TEXT_BYTES, openInside, sealInside, trialSearch, type RogueSearchProgress } from './index.js';

/** A message's disclosure as the ratchet hands it out: key, the session's AD, a header (version ‖ ratchet key ‖ PN ‖ N), the offset. */
function disclosure(): SessionDisclosure {
  const header = new Uint8Array(41);
  header[0] = 1;
  header.set(randomBytes(32), 1);
  header[40] = 7; // chain index 7
  return { messageKey: randomBytes(32), sessionAssociatedData: randomBytes(66), header, ciphertextOffset: 150 };
}

describe('the rogue app’s search by trial', () => {
  it('finds a 16-bit field that the compliant check accepts, reporting rising tries', async () => {
    await cryptoReady();
    const d = disclosure();
    const seen: RogueSearchProgress[] = [];
    const search = trialSearch({ maxTries: 64 * 2 ** 16, onProgress: (p) => seen.push(p) });
    const field = await search.forge(d, 16);
    expect(field).not.toBeNull();
    expect(checkAccessField(field!, d, 16)).toEqual({ ok: true, checkBits: 16 });
    expect(search.stopped()).toBeNull();
    expect(seen.at(-1)).toMatchObject({ checkBits: 16, tries: search.progress().tries });
    expect(seen.map((p) => p.tries)).toEqual([...seen.map((p) => p.tries)].sort((a, b) => a - b));
  });

  it('yields to the event loop between slices, and stops at the next slice once cancelled: nothing found', async () => {
    await cryptoReady();
    const cancel = new AbortController();
    const order: string[] = [];
    const search = trialSearch({
      maxTries: Number.MAX_SAFE_INTEGER,
      signal: cancel.signal,
      onProgress: (p) => {
        order.push(`slice ${p.tries}`);
        // A timer set during the first slice runs before the second, or the search never yields.
        if (order.length === 1) setTimeout(() => order.push('timer'), 0);
        if (order.length === 3) cancel.abort();
      },
    });
    expect(await search.forge(disclosure(), 64)).toBeNull();
    expect(search.stopped()).toBe('cancelled');
    expect(order[0]).toMatch(/^slice /);
    expect(order.indexOf('timer')).toBeGreaterThan(0);
    expect(order.indexOf('timer')).toBeLessThan(order.length - 1);
  });

  it('spends one budget of tries over every field it is asked for', async () => {
    await cryptoReady();
    const search = trialSearch({ maxTries: 3_000 });
    expect(await search.forge(disclosure(), 64)).toBeNull();
    expect(search.progress()).toMatchObject({ tries: 3_000, checkBits: 64 });
    expect(search.stopped()).toBe('budget-spent');
    // A second device's field gets nothing more.
    expect(await search.forge(disclosure(), 64)).toBeNull();
    expect(search.progress().tries).toBe(3_000);
    expect(search.progress().triesPerSecond).toBeGreaterThan(0);
  });
});

describe('encryption inside the message', () => {
  it('opens with the inner key, fresh each time, and not once altered; refuses an empty or too long text', async () => {
    await cryptoReady();
    const sealed = sealInside('meet at the usual place');
    expect(sealed.startsWith(INSIDE_PREFIX)).toBe(true);
    expect(sealed).not.toContain('usual');
    expect(sealInside('meet at the usual place')).not.toBe(sealed);
    expect(openInside(sealed)).toBe('meet at the usual place');
    const body = sealed.slice(INSIDE_PREFIX.length);
    const flipped = `${INSIDE_PREFIX}${body.slice(0, 10)}${body[10] === 'A' ? 'B' : 'A'}${body.slice(11)}`;
    expect(openInside(flipped)).toBeNull();
    expect(openInside('an ordinary message')).toBeNull();
    expect(openInside(`${INSIDE_PREFIX}short`)).toBeNull();
    // The longest text that fits still fits a message once encrypted.
    expect(openInside(sealInside('x'.repeat(MAX_INSIDE_TEXT_BYTES)))).toBe('x'.repeat(MAX_INSIDE_TEXT_BYTES));
    expect(sealInside('x'.repeat(MAX_INSIDE_TEXT_BYTES)).length).toBeLessThanOrEqual(4_000);
    for (const text of ['', 'x'.repeat(MAX_INSIDE_TEXT_BYTES + 1)]) {
      expect(() => sealInside(text)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
