import { describe, expect, it } from 'vitest';
import { runScenario, type ComputedMethod } from '@envelope/scenario';
import { atPrevalence, describePrevalence, methodRates, positionOf, prevalenceAt, runRates, SLIDER_STEPS } from './prevalence.js';

describe('the prevalence slider’s recomputation', () => {
  const result = runScenario({ users: 1000, days: 3, seed: 1 });
  const run = runRates(result);

  it('gives back each method’s own precision and per-10,000 figures at the run’s prevalence', () => {
    expect(run.offenders).toBeGreaterThan(0);
    for (const method of result.methods as ComputedMethod[]) {
      const at = atPrevalence(methodRates(method.score, run), run.prevalence);
      const { truePositives, falsePositives, flagged } = method.score;
      if (flagged === 0) expect(at.precision).toBeNull();
      else expect(at.precision).toBeCloseTo(truePositives / flagged, 12);
      expect(at.truePositivesPer10k * (run.offenders + run.innocent)).toBeCloseTo(truePositives * 10_000, 6);
      expect(at.falsePositivesPer10k * (run.offenders + run.innocent)).toBeCloseTo(falsePositives * 10_000, 6);
    }
  });

  it('moves precision with prevalence, by the formula', () => {
    const rates = { recall: 0.8, falsePositiveRate: 0.004 };
    const rare = atPrevalence(rates, 1e-5);
    const common = atPrevalence(rates, 1e-2);
    expect(rare.precision).toBeCloseTo((0.8 * 1e-5) / (0.8 * 1e-5 + 0.004 * (1 - 1e-5)), 15);
    expect(common.precision!).toBeGreaterThan(rare.precision!);
    expect(common.truePositivesPer10k).toBeCloseTo(80, 10);
    expect(atPrevalence({ recall: 0, falsePositiveRate: 0 }, 0.01).precision).toBeNull();
  });

  it('places the slider on a log scale from 1 in a million to 1 in 10', () => {
    expect(prevalenceAt(0)).toBeCloseTo(1e-6, 18);
    expect(prevalenceAt(SLIDER_STEPS)).toBeCloseTo(0.1, 12);
    for (const position of [0, 17, 50, 99, SLIDER_STEPS]) expect(positionOf(prevalenceAt(position))).toBe(position);
    expect(describePrevalence(0.012)).toBe('1 in 83 (1.2%)');
    expect(describePrevalence(1e-5)).toBe('1 in 100,000 (0.001%)');
  });
});
