/**
 * The harmful actors' plans, drawn once before day 0 (small: at most a few thousand lines): when a
 * groomer contacts which minor and how it goes, when each ring account and bot signs up, which day
 * a viral sharer forwards. The decisions of victims (answer, block, report) are drawn here from
 * their own streams, one draw each whatever the probabilities, so raising one probability changes
 * only the outcomes it governs, never the rest of the run.
 */
import type { ScenarioParameters } from './parameters.js';
import { DAY_MS, friendOfFriend, RUN_START_MS, type Population } from './population.js';
import { stream } from './random.js';

export interface GroomingPlan {
  readonly groomer: number;
  readonly victim: number;
  readonly contactDay: number;
  readonly engaged: boolean;
  readonly escalationDay: number;
  /** Last day with messages (inclusive); Infinity: still going when the run ends. */
  readonly endDay: number;
  readonly reported: boolean;
  readonly reportDelayMs: number;
}

export interface Plans {
  readonly grooming: GroomingPlan[];
  /** Sign-up time of each ring account and bot (ids past the settled accounts). */
  readonly signUp: Map<number, number>;
  readonly viralDay: Map<number, number>;
  /** Accounts a "contacts-only" ring or bot can reach: the harvested lists, teens and adults apart. */
  readonly harvestedTeens: number[];
  readonly harvestedAdults: number[];
  readonly teens: number[];
  readonly settledAdults: number[];
}

export function makePlans(pop: Population, p: ScenarioParameters): Plans {
  const r = stream(p.seed, 'plans');
  const reports = stream(p.seed, 'plan-reports');
  const delays = stream(p.seed, 'plan-report-delays');
  const grooming: GroomingPlan[] = [];
  const isMinor = (id: number): boolean => pop.minor[id] === 1;
  for (let g = 0; g < pop.size; g++) {
    if (pop.kind[g] !== 'grooming') continue;
    const targets = r.int(p.groomerTargetsMin, p.groomerTargetsMax);
    const chosen = new Set<number>();
    for (let t = 0; t < targets; t++) {
      const victim = p.discoverability === 'anyone' ? (pop.allMinors.length > 0 ? r.pick(pop.allMinors) : -1) : friendOfFriend(pop, r, g, isMinor);
      const contactDay = r.int(0, p.days - 1);
      const engaged = r.chance(p.groomingReplyProbability);
      const escalationDay = contactDay + r.int(2, 6);
      const blocked = r.chance(p.blockProbability);
      const offPlatform = r.chance(p.offPlatformProbability);
      const offDay = escalationDay + r.int(0, 3);
      const reportDraw = reports.float();
      const reportDelayMs = delays.float() * p.reportDelayMaxDays * DAY_MS;
      if (victim < 0 || chosen.has(victim)) continue; // unreachable ("contacts-only") or drawn twice
      chosen.add(victim);
      grooming.push({
        groomer: g,
        victim,
        contactDay,
        engaged,
        escalationDay,
        endDay: !engaged ? contactDay + r.int(1, 4) : blocked ? escalationDay : offPlatform ? offDay : Infinity,
        reported: engaged && reportDraw < p.victimReportProbability,
        reportDelayMs,
      });
    }
  }

  const signUp = new Map<number, number>();
  let operatorStart = 0;
  let inOperator = 0;
  for (let id = 0; id < pop.size; id++) {
    if (pop.kind[id] === 'sextortion') {
      // One operator's accounts sign up over three evenings from the operator's start day.
      if (inOperator % p.sextortionAccountsPerOperator === 0) operatorStart = r.int(0, p.days - 1);
      inOperator++;
      signUp.set(id, RUN_START_MS + (operatorStart + r.int(0, 2)) * DAY_MS + r.int(17 * 60, 21 * 60) * 60_000);
    } else if (pop.kind[id] === 'spam') {
      signUp.set(id, RUN_START_MS + r.int(0, p.days * DAY_MS - 1));
    }
  }
  const viralDay = new Map<number, number>();
  for (let id = 0; id < pop.size; id++) if (pop.kind[id] === 'viral-sharer') viralDay.set(id, r.int(0, p.days - 1));

  const teens: number[] = [];
  const settledAdults: number[] = [];
  for (let id = 0; id < pop.size; id++) {
    if (signUp.has(id)) continue;
    if (pop.minor[id] === 1 && pop.band[id] !== 'under-13') teens.push(id);
    else if (pop.minor[id] === 0 && pop.kind[id] !== 'joiner') settledAdults.push(id);
  }
  return {
    grooming,
    signUp,
    viralDay,
    teens,
    settledAdults,
    harvestedTeens: teens.filter((id) => pop.harvested[id] === 1),
    harvestedAdults: settledAdults.filter((id) => pop.harvested[id] === 1),
  };
}
