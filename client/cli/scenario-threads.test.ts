import { describe, expect, it } from 'vitest';
import { ScenarioError } from '@envelope/scenario';
import { runScenarioThreaded } from './scenario-threads.js';

describe('the scenario on worker threads', () => {
  it('gives the same JSON with the traffic generated in a worker as in one thread, and reports every day in order', async () => {
    for (const overrides of [
      { users: 1500, days: 4, seed: 7 },
      { users: 1200, days: 3, seed: 2, sealedSenderShare: 0.5, padding: false, discoverability: 'contacts-only' as const },
    ]) {
      const days: number[] = [];
      const one = JSON.stringify(await runScenarioThreaded(overrides, { workers: 1 }));
      const two = JSON.stringify(await runScenarioThreaded(overrides, { workers: 2, onDay: (day) => days.push(day) }));
      expect(JSON.parse(two)).toEqual(JSON.parse(one)); // a readable difference first, if any
      expect(two === one).toBe(true); // then byte for byte
      expect(days).toEqual(Array.from({ length: overrides.days }, (_, k) => k + 1));
      expect(JSON.parse(two).traffic.envelopes).toBeGreaterThan(10_000);
    }
  });

  it('refuses a bad parameter with the typed error before starting a worker', async () => {
    await expect(runScenarioThreaded({ users: 10 }, { workers: 2 })).rejects.toThrow(ScenarioError);
  });
});
