import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';

describe('backoff', () => {
  it('grows exponentially up to the cap, with the random draw scaling the bound', () => {
    const top = () => 0.999999;
    const bounds = Array.from({ length: 12 }, (_, attempt) => backoffDelay(attempt, DEFAULT_BACKOFF, top));
    expect(bounds.slice(0, 4)).toEqual([499, 999, 1999, 3999]);
    expect(Math.max(...bounds)).toBe(DEFAULT_BACKOFF.maxMs - 1);
    expect(backoffDelay(1000, DEFAULT_BACKOFF, top)).toBe(DEFAULT_BACKOFF.maxMs - 1);
  });

  it('jitters over the whole range but never below the minimum', () => {
    expect(backoffDelay(5, DEFAULT_BACKOFF, () => 0)).toBe(DEFAULT_BACKOFF.minMs);
    expect(backoffDelay(5, DEFAULT_BACKOFF, () => 0.5)).toBe(8000);
    const draws = new Set(Array.from({ length: 50 }, () => backoffDelay(6)));
    expect(draws.size).toBeGreaterThan(10);
  });
});
