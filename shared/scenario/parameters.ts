/**
 * Every parameter of the scenario, its default, and where the default comes from: `sourced` (a
 * published figure, named in our words, with how far it was checked) or `assumed` (ours, with the
 * reason). docs/scenario.md explains each. The result repeats this table, so every figure it
 * holds can be traced to the numbers that made it.
 */

import { CONTENT_DEFAULTS, CONTENT_PARAMETER_INFO, type ContentParameters } from './content-parameters.js';
import { assumed, sourced, type ParameterInfo } from './provenance.js';

export type { ParameterInfo, Provenance } from './provenance.js';

export type Discoverability = 'anyone' | 'contacts-only';

export interface ScenarioParameters extends ContentParameters {
  readonly users: number;
  readonly days: number;
  readonly seed: number;
  readonly minorShare: number;
  readonly communitySize: number;
  readonly friendsInCommunity: number;
  readonly friendsElsewhere: number;
  readonly sessionsPerUserPerDay: number;
  readonly messagesPerSession: number;
  readonly newAcquaintancesPerUserPerDay: number;
  readonly joinersShare: number;
  readonly coachShareOfAdults: number;
  readonly viralSharerShare: number;
  readonly teenCoupleShareOfMinors: number;
  readonly groomerShareOfAdults: number;
  readonly groomerTargetsMin: number;
  readonly groomerTargetsMax: number;
  readonly groomerDeclaresTeenShare: number;
  readonly groomingReplyProbability: number;
  readonly offPlatformProbability: number;
  readonly sextortionAccountShare: number;
  readonly sextortionAccountsPerOperator: number;
  readonly sextortionTargetsMinorShare: number;
  readonly sextortionReplyProbability: number;
  readonly spamBotShare: number;
  readonly drugSellerShare: number;
  readonly victimReportProbability: number;
  readonly blockProbability: number;
  readonly adultTargetReportProbability: number;
  readonly spamReportProbability: number;
  readonly buyerReportProbability: number;
  readonly viralReportProbability: number;
  readonly falseReportsPerUserPerMonth: number;
  readonly reportDelayMaxDays: number;
  readonly sealedSenderShare: number;
  readonly padding: boolean;
  readonly discoverability: Discoverability;
  readonly harvestedNumbersShare: number;
  /** Accounts of a UK-sized service: the figures scaled to it sit beside the per-10,000 ones. */
  readonly ukUsers: number;
}

export const DEFAULTS: ScenarioParameters = {
  users: 10_000,
  days: 30,
  seed: 1,
  minorShare: 0.2,
  communitySize: 60,
  friendsInCommunity: 10,
  friendsElsewhere: 4,
  sessionsPerUserPerDay: 3,
  messagesPerSession: 6,
  newAcquaintancesPerUserPerDay: 0.02,
  joinersShare: 0.02,
  coachShareOfAdults: 0.01,
  viralSharerShare: 0.005,
  teenCoupleShareOfMinors: 0.1,
  groomerShareOfAdults: 0.001,
  groomerTargetsMin: 5,
  groomerTargetsMax: 30,
  groomerDeclaresTeenShare: 0.25,
  groomingReplyProbability: 0.4,
  offPlatformProbability: 0.66,
  sextortionAccountShare: 0.008,
  sextortionAccountsPerOperator: 40,
  sextortionTargetsMinorShare: 0.9,
  sextortionReplyProbability: 0.25,
  spamBotShare: 0.0015,
  drugSellerShare: 0.0005,
  victimReportProbability: 0.5,
  blockProbability: 0.68,
  adultTargetReportProbability: 0.3,
  spamReportProbability: 0.01,
  buyerReportProbability: 0.01,
  viralReportProbability: 0.02,
  falseReportsPerUserPerMonth: 0.01,
  reportDelayMaxDays: 7,
  sealedSenderShare: 0,
  padding: true,
  discoverability: 'anyone',
  harvestedNumbersShare: 0.1,
  ukUsers: 47_900_000,
  ...CONTENT_DEFAULTS,
};

export const PARAMETER_INFO: { readonly [K in keyof ScenarioParameters]: ParameterInfo } = {
  users: assumed('Accounts in the population.', 'A run size, not a claim about any platform; 10,000 is the starting size we planned with.'),
  days: assumed('Simulated days.', 'Thirty days: the server keeps its metadata log that long by default (METADATA_RETENTION_DAYS).'),
  seed: assumed('The seed of every random draw.', 'Any number; the same seed gives the same result, byte for byte.'),
  minorShare: assumed(
    'Share of accounts that declare a minor\'s age band (under-13, 13-15, 16-17).',
    'No source measured it for a messaging service; a fifth, the low end of the 20-25% we planned with.',
  ),
  communitySize: assumed('Average size of a community (a school year, a club, a workplace, a neighbourhood).', 'An order of magnitude for the groups people message within.'),
  friendsInCommunity: assumed('Average contacts inside one\'s community (stochastic block model, within-block).', 'Tens of regular contacts, most of them local.'),
  friendsElsewhere: assumed('Average contacts outside one\'s community (between-block, mostly in one\'s own age group).', 'Family and old friends elsewhere: fewer than the local ones.'),
  sessionsPerUserPerDay: assumed('Conversations an average account starts a day (heavy-tailed across accounts).', 'A few a day; real activity is skewed, so it is drawn log-normal.'),
  messagesPerSession: assumed('Average envelopes in one conversation, both directions.', 'A short back-and-forth.'),
  newAcquaintancesPerUserPerDay: assumed('First contacts an ordinary account makes a day with a friend of a friend.', 'New classmates and colleagues: rare, and usually sharing a contact.'),
  joinersShare: assumed('Share of ordinary accounts that sign up during the run (new accounts that are not abusive).', 'Ordinary growth: a new account is not a suspect by itself.'),
  coachShareOfAdults: assumed(
    'Share of adults who are coaches or teachers: many minor contacts, team-wide messages (a confounder).',
    'Ours: confounders at about 2% of users altogether, without a source.',
  ),
  viralSharerShare: assumed(
    'Share of accounts that forward one viral item to all their contacts in a minute, once (a confounder).',
    'Ours: 0.05% was our first guess, raised tenfold so a run of a few thousand holds any.',
  ),
  teenCoupleShareOfMinors: assumed('Share of minors in a teen couple: long late-night conversations between peers (a confounder).', 'A plausible order of magnitude, unsourced.'),
  groomerShareOfAdults: assumed(
    'Share of adults who are lone groomers.',
    'No prevalence figure exists. Order of magnitude of a benchmark corpus (142 predators among about 98,000 authors, 0.14%), which was assembled, not sampled.',
  ),
  groomerTargetsMin: assumed('Fewest minors a groomer contacts in a run.', 'Ours: 5-30 targets, unsourced.'),
  groomerTargetsMax: assumed('Most minors a groomer contacts in a run.', 'Ours: 5-30 targets, unsourced.'),
  groomerDeclaresTeenShare: assumed('Share of groomers who declare a teen age band at sign-up (bands are never verified).', 'Ours: an evasion anyone can do.'),
  groomingReplyProbability: assumed('Chance a contacted minor answers a groomer.', 'Ours; most unsolicited contacts go unanswered.'),
  offPlatformProbability: sourced(
    'Chance a groomer moves an engaged victim to another platform (the conversation leaves the log).',
    'Thorn\'s research on online grooming: two in three minors have been asked to move to another platform. Used as the chance of moving, which the survey did not measure.',
    'via press',
  ),
  sextortionAccountShare: assumed(
    'Share of accounts that are a sextortion ring\'s fake accounts, made during the run.',
    'Ours: one ring of 2 operators x 40 accounts per 10,000 users; the ratio of accounts to operators follows Meta\'s takedown (about 2,500 accounts run by about 20 people), reported by the press.',
  ),
  sextortionAccountsPerOperator: sourced(
    'Fake accounts per ring operator (they act in one burst per operator).',
    'Meta\'s takedown of Nigeria-linked sextortion accounts: about 2,500 accounts run by about 20 people (about 125 each); 40 is our smaller default.',
    'via press',
  ),
  sextortionTargetsMinorShare: sourced(
    'Share of a ring\'s targets who are minors (the rest adults).',
    'Thorn and NCMEC\'s study of sextortion reports: 90% of victims were boys aged 14-17. Meta reports that most targets it saw were adult men, so this is the reports\' view.',
    'stated directly',
  ),
  sextortionReplyProbability: assumed('Chance a target answers a ring account.', 'Ours; Meta says most attempts failed, without a figure.'),
  spamBotShare: assumed(
    'Share of accounts that are spam or scam bots made during the run.',
    'About WhatsApp\'s monthly bans (about 2 million a month) over its users (about 1.5 billion): 0.13% a month, rounded.',
  ),
  drugSellerShare: assumed('Share of accounts that sell drugs to buyers who write to them.', 'No source: a placeholder.'),
  victimReportProbability: sourced(
    'Chance a minor who met a harmful sexual interaction (grooming, sextortion) reports the account.',
    'Thorn\'s 2021 survey of 1,000 children aged 9-17: 50% of those with a harmful online sexual interaction reported it on the platform (68% blocked).',
    'stated directly',
  ),
  blockProbability: sourced(
    'Chance an engaged victim of grooming blocks the account (the conversation ends).',
    'The same Thorn survey: 68% blocked.',
    'stated directly',
  ),
  adultTargetReportProbability: assumed('Chance an adult target of sextortion reports the account.', 'Ours, below the children\'s 50%: shame keeps adults from reporting.'),
  spamReportProbability: assumed(
    'Chance a recipient of spam reports it.',
    'Ours, low: WhatsApp says more than 75% of the accounts it bans had no recent user report.',
  ),
  buyerReportProbability: assumed('Chance a drug buyer reports the seller.', 'Ours: a buyer rarely reports a seller.'),
  viralReportProbability: assumed(
    'Chance a recipient of a viral forward reports it.',
    'Ours; Meta found most people who shared such material again showed no malicious intent, which says nothing of how often recipients report.',
  ),
  falseReportsPerUserPerMonth: assumed('Reports an ordinary account files against an ordinary contact a month (feuds, mistakes).', 'Ours: reports about nothing harmful exist and land in the same queue.'),
  reportDelayMaxDays: assumed('A report is filed between the harm and this many days after it (uniform).', 'Ours: a delay of 0-7 days, unsourced.'),
  sealedSenderShare: assumed(
    'Share of accounts that hide their name from the server (sealed sender), as Envelope allows only to people who have written to them.',
    'Envelope\'s own default: off unless a person switches it on.',
  ),
  padding: assumed('Sealed envelopes padded to one size (Envelope\'s behaviour).', 'The product\'s default. No detector reads sizes, so it moves no figure yet.'),
  discoverability: assumed(
    '"anyone": a stranger can find and message any account (as on Messenger or Instagram); "contacts-only": only accounts whose number or name they already know (as on WhatsApp).',
    'Both designs exist; the default is the one that lets offenders reach the most people.',
  ),
  harvestedNumbersShare: assumed(
    'With "contacts-only": share of accounts whose numbers a fake account or bot has (leaked or harvested lists). A lone groomer reaches only friends of friends.',
    'Ours; an order of magnitude.',
  ),
  ukUsers: sourced(
    'Accounts of a UK-sized service, for the figures scaled to the UK (scaled in proportion from this run: the population\'s make-up stays the same).',
    'Ofcom\'s Online Nation 2023 report: 47.9 million UK adults used the internet on smartphones, tablets or computers in May 2023. A service as large as the UK\'s online adults; the scaling keeps this run\'s share of minors, so read it as a service of that size, not as the UK.',
    'stated directly',
  ),
  ...CONTENT_PARAMETER_INFO,
};

export class ScenarioError extends Error {
  constructor(
    readonly code: 'BAD_PARAMETER',
    message: string,
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** Runs past these are for the worker-thread version (docs/scenario.md, "Next"). */
export const MAX_USERS = 1_000_000;
export const MAX_DAYS = 90;

const SHARES: readonly (keyof ScenarioParameters)[] = (Object.keys(DEFAULTS) as (keyof ScenarioParameters)[]).filter(
  (k) => k.includes('Share') || k.endsWith('Probability') || k.endsWith('Tpr') || k.endsWith('Fpr') || k.endsWith('Rate') || k === 'hashRecall',
);

/** The defaults with `overrides` applied, checked: a bad value is a ScenarioError naming it. */
export function resolveParameters(overrides: Partial<ScenarioParameters> = {}): ScenarioParameters {
  const p: ScenarioParameters = { ...DEFAULTS, ...overrides };
  for (const key of Object.keys(overrides)) if (!(key in DEFAULTS)) throw new ScenarioError('BAD_PARAMETER', `unknown parameter "${key}"`);
  const integer = (key: keyof ScenarioParameters, min: number, max: number): void => {
    const v = p[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ScenarioError('BAD_PARAMETER', `${key} must be a whole number from ${min} to ${max}, not ${String(v)}`);
  };
  integer('users', 100, MAX_USERS);
  integer('days', 1, MAX_DAYS);
  integer('seed', 0, Number.MAX_SAFE_INTEGER);
  integer('groomerTargetsMin', 1, 1000);
  integer('groomerTargetsMax', p.groomerTargetsMin, 1000);
  integer('sextortionAccountsPerOperator', 1, 1000);
  integer('reportDelayMaxDays', 0, 60);
  integer('communitySize', 5, 10_000);
  integer('matchThreshold', 1, 10_000);
  integer('ukUsers', 1, 10_000_000_000);
  for (const key of SHARES) {
    const v = p[key];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ScenarioError('BAD_PARAMETER', `${key} must be a share from 0 to 1, not ${String(v)}`);
  }
  for (const key of ['friendsInCommunity', 'friendsElsewhere', 'sessionsPerUserPerDay', 'messagesPerSession', 'newAcquaintancesPerUserPerDay', 'falseReportsPerUserPerMonth', 'traderImagesPerDay'] as const) {
    const v = p[key];
    if (!(v >= 0 && v <= 1000)) throw new ScenarioError('BAD_PARAMETER', `${key} must be a number from 0 to 1000, not ${String(v)}`);
  }
  if (p.messagesPerSession < 1) throw new ScenarioError('BAD_PARAMETER', `messagesPerSession must be at least 1, not ${p.messagesPerSession}`);
  if (p.discoverability !== 'anyone' && p.discoverability !== 'contacts-only') {
    throw new ScenarioError('BAD_PARAMETER', `discoverability must be "anyone" or "contacts-only", not ${String(p.discoverability)}`);
  }
  if (typeof p.padding !== 'boolean') throw new ScenarioError('BAD_PARAMETER', `padding must be true or false, not ${String(p.padding)}`);
  return p;
}
