/**
 * The briefing's words that depend on the result: the sentences of the one-page summary and the
 * biggest caveat. Plain text here; html.ts escapes it.
 */
import { HARMS, type Harm } from '../population.js';
import type { ComputedMethod, ScenarioResult } from '../scoring.js';
import { HARM_NAMES, percent, whole, decimal } from './labels.js';

const method = (r: ScenarioResult, id: string): ComputedMethod | undefined => r.methods.find((m): m is ComputedMethod => m.computed && m.id === id);

export function combinedShare(r: ScenarioResult): number | null {
  return r.headline.rows.find((x) => x.method === 'combined')?.shareOfContentAccessReferrals ?? null;
}

/** The three or four sentences that matter, computed from the result. */
export function keySentences(r: ScenarioResult): string[] {
  const out: string[] = [];
  const h = r.headline;
  const combined = r.headline.rows.find((x) => x.method === 'combined');
  const days = r.parameters.days?.value as number;
  if (combined && combined.shareOfContentAccessReferrals !== null) {
    out.push(
      `On a synthetic population of ${whole(r.population.accounts)} accounts over ${days} days, full content access referred ${whole(h.contentAccessOffendersReferred)} offenders. ` +
        `Metadata signals, user reports and client-side scanning together, all of which keep end-to-end encryption, referred ${percent(combined.shareOfContentAccessReferrals)} of them: ${percent(combined.shareLost)} would be lost, where the NCA estimated 85-92% and NCMEC 70%.`,
    );
    const short = HARMS.filter((x) => combined.perHarm[x] !== null && combined.perHarm[x]! < 1).map((x) => `${HARM_NAMES[x].toLowerCase()} (${percent(combined.perHarm[x])})`);
    if (short.length > 0) out.push(`They fall short on ${list(short)}: per harm, the share of content access's offenders they still refer.`);
    else out.push('Per harm, they refer every offender content access refers, in every harm present in this run.');
  } else {
    out.push(`On this run (${whole(r.population.accounts)} accounts, ${days} days) full content access referred no offender, so the headline share cannot be computed: run a larger population.`);
  }
  const full = method(r, 'content-classifier');
  if (full) {
    out.push(
      `Reading everything is not precise either: full content access flagged ${whole(full.score.falsePositives)} innocent accounts beside ${whole(full.score.truePositives)} offenders ` +
        `(${percent(full.score.precision)} of its flags are offenders, where offenders are ${percent(baseRate(r))} of accounts), and it makes all ${whole(full.privacy.innocentMessagesReadable)} innocent messages readable.`,
    );
  }
  const w = r.reviewerWorkload.find((x) => x.method === 'combined');
  const wf = r.reviewerWorkload.find((x) => x.method === 'content-classifier');
  const uk = r.ukScaled.rows.find((x) => x.method === 'combined');
  const ukf = r.ukScaled.rows.find((x) => x.method === 'content-classifier');
  if (w && wf && uk && ukf) {
    out.push(
      `A human reviewer would be sent ${decimal(w.accountsPer10kUsersPerDay, 2)} accounts per 10,000 users a day by the three together and ${decimal(wf.accountsPer10kUsersPerDay, 2)} by content access; ` +
        `on a UK-sized service (${whole(r.ukScaled.users)} accounts) that is about ${whole(uk.accountsToReviewPerDay)} and ${whole(ukf.accountsToReviewPerDay)} accounts a day.`,
    );
  }
  return out;
}

/** The share of accounts that are active offenders (any harm). */
export function baseRate(r: ScenarioResult): number {
  const actors = Object.values(r.population.activeActors).reduce((a, b) => a + b, 0);
  return r.population.accounts === 0 ? 0 : actors / r.population.accounts;
}

/** The caveat a reader must not miss: who is in the population decides the total. */
export function biggestCaveat(r: ScenarioResult): string {
  const actors = r.population.activeActors;
  const total = Object.values(actors).reduce((a, b) => a + b, 0);
  const largest = (Object.keys(actors) as Harm[]).reduce((a, b) => (actors[b] > actors[a] ? b : a), HARMS[0]);
  const scanning = r.headline.rows.find((x) => x.method === 'client-side-scanning');
  const top = r.tornado?.bars[0];
  return (
    `Who is in the population decides the total. The mix of offenders is assumed, not measured: here ${whole(actors[largest])} of the ${whole(total)} active offenders are ${HARM_NAMES[largest].toLowerCase()} accounts. ` +
    `The quoted estimates count reports of images, mostly known images found by scanning on the platform's servers; the nearest row here is known abuse images, where client-side scanning alone refers ${percent(scanning?.perHarm['known-material'] ?? null)} of content access's offenders. ` +
    (top ? `Of the defaults tried, ${top.parameter} moves the headline most (from ${percent(top.figureAtLow)} to ${percent(top.figureAtHigh)} between ${top.low} and ${top.high}, in a smaller run). ` : '') +
    'Read the per-harm figures, not only the total; this is a model of a population, not a measurement of any platform.'
  );
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

