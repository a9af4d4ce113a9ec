import { describe, expect, it } from 'vitest';
import { RecentIds } from './recent-ids.js';

describe('RecentIds', () => {
  it('remembers an id for at least half the window, and forgets it after the window', () => {
    const ids = new RecentIds(1000, 100);
    ids.remember('a', 0);
    ids.remember('b', 400);
    expect(ids.storedAt('a')).toBe(0);
    ids.remember('c', 600); // rotates: a and b move to the previous generation
    expect([ids.storedAt('a'), ids.storedAt('b'), ids.storedAt('c')]).toEqual([0, 400, 600]);
    ids.expire(1200); // rotates again: a and b are dropped, c is previous
    expect([ids.storedAt('a'), ids.storedAt('b'), ids.storedAt('c')]).toEqual([undefined, undefined, 600]);
    ids.expire(2200);
    expect(ids.storedAt('c')).toBeUndefined();
  });

  it('stays bounded by count', () => {
    const ids = new RecentIds(60_000, 10);
    for (let i = 0; i < 100; i++) ids.remember(`id-${i}`, i);
    const kept = Array.from({ length: 100 }, (_, i) => ids.storedAt(`id-${i}`)).filter((v) => v !== undefined);
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(ids.storedAt('id-99')).toBe(99);
    expect(kept.length).toBeGreaterThanOrEqual(5);
  });
});
