/**
 * The prevalence slider's arithmetic: precision at another prevalence, recomputed from a run's
 * recall and false-positive rate without running again. Precision depends on how common the harm
 * is (the base rate); recall and the false-positive rate, to a first approximation, do not. So:
 *
 *   precision = recall × prevalence ÷ (recall × prevalence + false-positive rate × (1 − prevalence))
 *
 * At the run's own prevalence this gives back the run's precision exactly. At another it is a
 * recomputation, not a run: it assumes offenders and innocent accounts behave as in this run.
 */
import { ORDINARY_KINDS, type ScenarioResult, type Score } from '@envelope/scenario';

export interface RunRates {
  /** Offenders active in the run, and the innocent (ordinary) accounts. */
  readonly offenders: number;
  readonly innocent: number;
  /** Offenders over offenders and innocent accounts: the prevalence the run had. */
  readonly prevalence: number;
}

export interface MethodRates {
  /** Offenders the method flagged over all offenders. */
  readonly recall: number;
  /** Innocent accounts the method flagged over all innocent accounts. */
  readonly falsePositiveRate: number;
}

export interface AtPrevalence {
  readonly precision: number | null;
  readonly truePositivesPer10k: number;
  readonly falsePositivesPer10k: number;
}

export function runRates(result: ScenarioResult): RunRates {
  const offenders = Object.values(result.population.activeActors).reduce((a, b) => a + b, 0);
  const innocent = ORDINARY_KINDS.reduce((a, k) => a + (result.population.byKind[k] ?? 0), 0);
  return { offenders, innocent, prevalence: offenders + innocent === 0 ? 0 : offenders / (offenders + innocent) };
}

export function methodRates(score: Score, run: RunRates): MethodRates {
  return {
    recall: run.offenders === 0 ? 0 : score.truePositives / run.offenders,
    falsePositiveRate: run.innocent === 0 ? 0 : score.falsePositives / run.innocent,
  };
}

export function atPrevalence(rates: MethodRates, prevalence: number): AtPrevalence {
  const caught = rates.recall * prevalence;
  const wronglyFlagged = rates.falsePositiveRate * (1 - prevalence);
  return {
    precision: caught + wronglyFlagged === 0 ? null : caught / (caught + wronglyFlagged),
    truePositivesPer10k: caught * 10_000,
    falsePositivesPer10k: wronglyFlagged * 10_000,
  };
}

/**
 * The slider moves over orders of magnitude (1 in a million to 1 in 10), where a linear slider
 * would spend all its length above 1 in 100. Position p in [0, SLIDER_STEPS] is 10^(-6 + 5p/SLIDER_STEPS).
 */
export const SLIDER_STEPS = 100;
const LOG_MIN = -6;
const LOG_MAX = -1;

export const prevalenceAt = (position: number): number => 10 ** (LOG_MIN + ((LOG_MAX - LOG_MIN) * position) / SLIDER_STEPS);
export const positionOf = (prevalence: number): number =>
  Math.min(SLIDER_STEPS, Math.max(0, Math.round(((Math.log10(Math.max(prevalence, 1e-12)) - LOG_MIN) * SLIDER_STEPS) / (LOG_MAX - LOG_MIN))));

/** "1 in 83 (1.2%)", "1 in 100,000 (0.001%)": how a room reads a prevalence. */
export function describePrevalence(prevalence: number): string {
  if (prevalence <= 0) return 'none';
  const oneIn = Math.round(1 / prevalence);
  const percent = prevalence * 100;
  const shown = percent >= 1 ? percent.toFixed(1) : percent.toPrecision(2);
  return `1 in ${oneIn.toLocaleString('en-GB')} (${Number(shown)}%)`;
}
