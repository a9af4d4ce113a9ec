/**
 * What each method hands to people: the accounts (and, where the method hands over items, the
 * messages or images) a human reviewer must look at, per 10,000 users and per simulated day; and
 * the run's true and false positives scaled in proportion to a UK-sized service (`ukUsers`, with
 * its source in the parameters table). Scaling keeps the run's make-up: it multiplies, it does
 * not model a different population.
 */
import type { Score } from './scoring.js';

export interface ReviewerWorkload {
  readonly method: string;
  readonly title: string;
  /** Accounts the method sends to a human reviewer over the run (everything it flagged). */
  readonly accounts: number;
  readonly accountsPer10kUsers: number;
  readonly accountsPer10kUsersPerDay: number;
  /** Messages or images a reviewer must look at, where the method hands over items; null where it hands over accounts only. */
  readonly messages: number | null;
  readonly messagesPer10kUsersPerDay: number | null;
  readonly whatTheReviewerSees: string;
}

export interface UkScaledRow {
  readonly method: string;
  readonly title: string;
  /** Offenders referred over a run as long as this one, on a service of `users` accounts. */
  readonly truePositives: number;
  /** Innocent accounts flagged over the same period. */
  readonly falsePositives: number;
  readonly accountsToReviewPerDay: number;
  readonly messagesToReviewPerDay: number | null;
}

export interface UkScale {
  readonly users: number;
  readonly days: number;
  /** ukUsers over this run's accounts. */
  readonly factor: number;
  readonly note: string;
  readonly rows: readonly UkScaledRow[];
}

/** One method's inputs: its score, and the items (messages, images) it hands a reviewer, if it hands over items. */
export interface WorkloadInput {
  readonly method: string;
  readonly title: string;
  readonly score: Score;
  readonly messages: number | null;
  readonly whatTheReviewerSees: string;
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;
/** 47900000 -> "47,900,000", the same on every machine (no locale data). */
export const thousands = (x: number): string => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function reviewerWorkload(inputs: readonly WorkloadInput[], users: number, days: number): ReviewerWorkload[] {
  const per10kPerDay = (x: number): number => round((x * 10_000) / users / days);
  return inputs.map(({ method, title, score, messages, whatTheReviewerSees }) => ({
    method,
    title,
    accounts: score.flagged,
    accountsPer10kUsers: round((score.flagged * 10_000) / users),
    accountsPer10kUsersPerDay: per10kPerDay(score.flagged),
    messages,
    messagesPer10kUsersPerDay: messages === null ? null : per10kPerDay(messages),
    whatTheReviewerSees,
  }));
}

export function ukScale(inputs: readonly WorkloadInput[], users: number, days: number, ukUsers: number): UkScale {
  const factor = ukUsers / users;
  const scaled = (x: number): number => Math.round(x * factor);
  return {
    users: ukUsers,
    days,
    factor: round(factor),
    note: `This run's counts multiplied by ${thousands(factor)} (a service of ${thousands(ukUsers)} accounts over this run's ${thousands(users)}), over the same ${days} days. The population's make-up, the offenders' share and every rate stay as in the run: it is a multiplication, not a model of the UK.`,
    rows: inputs.map(({ method, title, score, messages }) => ({
      method,
      title,
      truePositives: scaled(score.truePositives),
      falsePositives: scaled(score.falsePositives),
      accountsToReviewPerDay: Math.round((score.flagged * factor) / days),
      messagesToReviewPerDay: messages === null ? null : Math.round((messages * factor) / days),
    })),
  };
}
