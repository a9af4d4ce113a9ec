/**
 * The tornado: which assumptions move the headline most. The headline figure is the share of
 * full content access's offender referrals that metadata signals, user reports and client-side
 * scanning together still make (the "combined" row of the headline). Each candidate default is
 * set to a low and a high value, one at a time, the scenario is run at each, and the figure's
 * swing is recorded; the five largest are kept.
 *
 * A run at the default size (10,000 users x 30 days) takes tens of seconds, and the tornado needs
 * two per candidate, so it runs at a stated smaller size. Every run uses the same seed, and the
 * scenario's random streams are laid out so that changing one parameter changes only the
 * outcomes it governs: the swing is the parameter's effect, not a different draw. One more run,
 * at the next seed, measures how much the figure moves with the draw alone (the noise floor).
 *
 * Node-free: `computeTornado` runs its runs one after another; a runner may instead take
 * `tornadoPlan`, run the plan's runs where it likes (the CLI uses worker threads) and hand the
 * figures to `assembleTornado`.
 */
import { DEFAULTS, type ScenarioParameters } from './parameters.js';
import type { ScenarioResult } from './scoring.js';

export interface TornadoCandidate {
  readonly parameter: keyof ScenarioParameters;
  readonly low: number;
  readonly high: number;
  /** Where the range comes from: `sourced` when a source gives both ends, else `assumed`. */
  readonly range: 'sourced' | 'assumed';
  readonly why: string;
}

/** Candidate defaults and their ranges (the defaults' own provenance is in the parameters table). */
export const TORNADO_CANDIDATES: readonly TornadoCandidate[] = [
  { parameter: 'sextortionAccountShare', low: 0.002, high: 0.016, range: 'assumed', why: 'A quarter to twice the default ring size: no prevalence figure exists.' },
  { parameter: 'sextortionReplyProbability', low: 0.1, high: 0.4, range: 'assumed', why: 'Meta says most attempts failed, without a figure.' },
  { parameter: 'groomerShareOfAdults', low: 0.0005, high: 0.002, range: 'assumed', why: 'Half to twice the default; the planning estimate was 0.1-0.2% of adults, itself assumed.' },
  { parameter: 'groomingReplyProbability', low: 0.2, high: 0.6, range: 'assumed', why: 'Ours, around the default.' },
  { parameter: 'offPlatformProbability', low: 0.33, high: 0.9, range: 'assumed', why: 'Thorn found two in three minors asked to move; how many moves follow is not measured.' },
  { parameter: 'victimReportProbability', low: 0.3, high: 0.7, range: 'assumed', why: 'Around Thorn\'s 50% (a survey of children, who may over- or under-state it; one in five told no one at all).' },
  { parameter: 'blockProbability', low: 0.5, high: 0.85, range: 'assumed', why: 'Around Thorn\'s 68%.' },
  { parameter: 'traderShareOfAdults', low: 0.0005, high: 0.004, range: 'assumed', why: 'From our first guess (0.05%) to twice the default: no prevalence figure exists.' },
  { parameter: 'newMaterialTraderShare', low: 0.1, high: 0.5, range: 'assumed', why: 'Most traded material is old (Meta: more than 90% seen before); how many traders make new material is unknown.' },
  { parameter: 'evasionShare', low: 0, high: 0.75, range: 'assumed', why: 'From no trader to most of them re-encoding past the list: the attack is published, its uptake is not.' },
  { parameter: 'drugSellerShare', low: 0.0002, high: 0.002, range: 'assumed', why: 'No source: a placeholder, varied widely.' },
  { parameter: 'sealedSenderShare', low: 0, high: 1, range: 'assumed', why: 'A design choice: from nobody to everybody hiding their name from the server.' },
];

/** The tornado's size when the runner does not say: small enough for its runs to take about as long as one default run. */
export const TORNADO_DEFAULT_SIZE = { users: 2000, days: 14 } as const;
/** How many of the most influential candidates the chart keeps. */
export const TORNADO_KEEP = 5;

export const TORNADO_FIGURE =
  'The share of full content access\'s offender referrals that metadata signals, user reports and client-side scanning together still make (the headline\'s "combined" row).';

export interface TornadoBar {
  readonly parameter: string;
  readonly defaultValue: number;
  readonly low: number;
  readonly high: number;
  readonly range: 'sourced' | 'assumed';
  readonly why: string;
  readonly figureAtLow: number | null;
  readonly figureAtHigh: number | null;
  /** |figure at high - figure at low|, in shares (0.1 = 10 points). */
  readonly swing: number;
}

export interface Tornado {
  readonly figure: string;
  readonly users: number;
  readonly days: number;
  readonly seed: number;
  readonly why: string;
  /** The figure at this size with every candidate at its value in the main run. */
  readonly base: number | null;
  /** The same at the next seed: how far the figure moves with the draw alone. */
  readonly noiseFloor: { readonly seed: number; readonly figure: number | null; readonly difference: number | null };
  readonly runs: number;
  /** The TORNADO_KEEP largest swings, largest first. */
  readonly bars: readonly TornadoBar[];
  /** Every other candidate with its swing, so what was left out is visible too. */
  readonly others: readonly TornadoBar[];
}

export interface TornadoRun {
  /** "base", "noise", or `${parameter}:low|high`. */
  readonly key: string;
  readonly overrides: Partial<ScenarioParameters>;
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

/** The headline figure of a result: the combined row's share (null when content access referred nobody). */
export function headlineFigure(result: Pick<ScenarioResult, 'headline'>): number | null {
  return result.headline.rows.find((r) => r.method === 'combined')?.shareOfContentAccessReferrals ?? null;
}

/** The tornado's size: the size asked for, but never larger than the main run. */
export function tornadoSize(main: Partial<ScenarioParameters>, size: { users?: number; days?: number } = {}): { users: number; days: number; seed: number } {
  return {
    users: Math.min(size.users ?? TORNADO_DEFAULT_SIZE.users, main.users ?? DEFAULTS.users),
    days: Math.min(size.days ?? TORNADO_DEFAULT_SIZE.days, main.days ?? DEFAULTS.days),
    seed: main.seed ?? DEFAULTS.seed,
  };
}

/** Every run the tornado needs, in a fixed order: the base, the noise-floor run, then each candidate low and high. */
export function tornadoPlan(main: Partial<ScenarioParameters>, size: { users?: number; days?: number } = {}): TornadoRun[] {
  const at = tornadoSize(main, size);
  const base = { ...main, users: at.users, days: at.days, seed: at.seed };
  return [
    { key: 'base', overrides: base },
    { key: 'noise', overrides: { ...base, seed: at.seed + 1 } },
    ...TORNADO_CANDIDATES.flatMap((c) => [
      { key: `${c.parameter}:low`, overrides: { ...base, [c.parameter]: c.low } },
      { key: `${c.parameter}:high`, overrides: { ...base, [c.parameter]: c.high } },
    ]),
  ];
}

/** The tornado from the plan's figures (same order as the plan). */
export function assembleTornado(main: Partial<ScenarioParameters>, plan: readonly TornadoRun[], figures: readonly (number | null)[]): Tornado {
  const byKey = new Map(plan.map((run, i) => [run.key, figures[i] ?? null]));
  const base = plan[0]!.overrides;
  const bars: TornadoBar[] = TORNADO_CANDIDATES.map((c) => {
    const atLow = byKey.get(`${c.parameter}:low`) ?? null;
    const atHigh = byKey.get(`${c.parameter}:high`) ?? null;
    return {
      parameter: c.parameter,
      defaultValue: (main[c.parameter] ?? DEFAULTS[c.parameter]) as number,
      low: c.low,
      high: c.high,
      range: c.range,
      why: c.why,
      figureAtLow: atLow,
      figureAtHigh: atHigh,
      swing: atLow === null || atHigh === null ? 0 : round(Math.abs(atHigh - atLow)),
    };
  });
  // Largest swing first; ties keep the candidates' order, so the same figures give the same chart.
  const ranked = bars.map((b, i) => ({ b, i })).sort((x, y) => y.b.swing - x.b.swing || x.i - y.i).map(({ b }) => b);
  const baseFigure = byKey.get('base') ?? null;
  const noise = byKey.get('noise') ?? null;
  return {
    figure: TORNADO_FIGURE,
    users: base.users!,
    days: base.days!,
    seed: base.seed!,
    why: `Each candidate needs two runs (${plan.length} runs in all), so the tornado runs at ${base.users} users x ${base.days} days rather than the main run's size; the main run's other settings are kept. At this size an offender or two more or less moves the figure by a few points: read swings smaller than the noise floor as no effect.`,
    base: baseFigure,
    noiseFloor: { seed: base.seed! + 1, figure: noise, difference: baseFigure === null || noise === null ? null : round(Math.abs(noise - baseFigure)) },
    runs: plan.length,
    bars: ranked.slice(0, TORNADO_KEEP),
    others: ranked.slice(TORNADO_KEEP),
  };
}

/** The whole tornado, one run after another (a runner with threads can use tornadoPlan instead). */
export function computeTornado(
  main: Partial<ScenarioParameters>,
  size: { users?: number; days?: number },
  run: (overrides: Partial<ScenarioParameters>) => Pick<ScenarioResult, 'headline'>,
  onRun?: (done: number, total: number) => void,
): Tornado {
  const plan = tornadoPlan(main, size);
  const figures = plan.map((r, i) => {
    const figure = headlineFigure(run(r.overrides));
    onRun?.(i + 1, plan.length);
    return figure;
  });
  return assembleTornado(main, plan, figures);
}
