import { describe, expect, it } from 'vitest';
import { hours, per10k, percent, shareOf } from './format.js';

describe('how the scenario page writes figures', () => {
  it('writes shares as percentages a room reads, rounding halves up whatever their binary form', () => {
    expect(percent(0.0365)).toBe('3.7%');
    expect(percent(0.03653)).toBe('3.7%');
    expect(percent(0.8)).toBe('80%');
    expect(percent(0.000962)).toBe('0.096%');
    expect(percent(0)).toBe('0%');
    expect(percent(null)).toBe('–');
    expect(percent(null, 'nothing flagged')).toBe('nothing flagged');
  });

  it('never calls a share of something 0%', () => {
    expect(shareOf(102, 0)).toBe('under 0.01%');
    expect(shareOf(0, 0)).toBe('0%');
    expect(shareOf(2_545_845, 0.4804)).toBe('48%');
  });

  it('writes rates per 10,000 and hours to detection', () => {
    expect(per10k(2901)).toBe('2,901');
    expect(per10k(0.0123)).toBe('0.012');
    expect(hours(17.4)).toBe('17.4 h');
    expect(hours(467)).toBe('467 h (19 days)');
    expect(hours(null)).toBe('–');
  });
});
