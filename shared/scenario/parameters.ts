/**
 * Every parameter of the scenario, its default, and where the default comes from: `sourced` (a
 * published figure, named in our words, with how far it was checked) or `assumed` (ours, with the
 * reason). docs/scenario.md explains each. The result repeats this table, so every figure it
 * holds can be traced to the numbers that made it.
 */

export type Discoverability = 'anyone' | 'contacts-only';

export interface ScenarioParameters {
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
  // Traders of abuse material and the content model (methods 3-5; content.ts).
  readonly traderShareOfAdults: number;
  readonly newMaterialTraderShare: number;
  readonly traderImagesPerDay: number;
  readonly knownMaterialShare: number;
  readonly viralKnownImageShare: number;
  readonly ordinaryImageShare: number;
  readonly parentPhotoShare: number;
  readonly teenSextingShare: number;
  readonly politicalImageShare: number;
  // (3) Client-side scanning.
  readonly hashRecall: number;
  readonly hashFalseMatchRate: number;
  readonly matchThreshold: number;
  readonly evasionShare: number;
  readonly listTamperedShare: number;
  // (4) and (5) A content classifier: per harm, its true-positive rate on a harmful conversation
  // (an image, for abuse material) and its false-positive rate on an innocent one.
  readonly groomingClassifierTpr: number;
  readonly groomingClassifierFpr: number;
  readonly sextortionClassifierTpr: number;
  readonly sextortionClassifierFpr: number;
  readonly spamClassifierTpr: number;
  readonly spamClassifierFpr: number;
  readonly drugsClassifierTpr: number;
  readonly drugsClassifierFpr: number;
  readonly imageClassifierTpr: number;
  readonly imageClassifierFpr: number;
  readonly childPhotoFlagProbability: number;
}

export type Provenance =
  | { readonly provenance: 'sourced'; readonly source: string; readonly status: 'stated directly' | 'via press' | 'computed from sourced figures' }
  | { readonly provenance: 'assumed'; readonly reason: string };

export type ParameterInfo = Provenance & { readonly description: string };

const assumed = (description: string, reason: string): ParameterInfo => ({ provenance: 'assumed', description, reason });
const sourced = (description: string, source: string, status: 'stated directly' | 'via press' | 'computed from sourced figures'): ParameterInfo => ({
  provenance: 'sourced',
  description,
  source,
  status,
});

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
  traderShareOfAdults: 0.002,
  newMaterialTraderShare: 0.2,
  traderImagesPerDay: 3,
  knownMaterialShare: 0.9,
  viralKnownImageShare: 0.8,
  ordinaryImageShare: 0.05,
  parentPhotoShare: 0.1,
  teenSextingShare: 0.01,
  politicalImageShare: 0.05,
  hashRecall: 0.98,
  hashFalseMatchRate: 3e-8,
  matchThreshold: 30,
  evasionShare: 0.25,
  listTamperedShare: 0,
  groomingClassifierTpr: 0.83,
  groomingClassifierFpr: 0.001,
  sextortionClassifierTpr: 0.8,
  sextortionClassifierFpr: 0.001,
  spamClassifierTpr: 0.88,
  spamClassifierFpr: 0.001,
  drugsClassifierTpr: 0.7,
  drugsClassifierFpr: 0.001,
  imageClassifierTpr: 0.9,
  imageClassifierFpr: 0.001,
  childPhotoFlagProbability: 0.01,
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
  traderShareOfAdults: assumed(
    'Share of adults who trade child sexual abuse material, in small closed circles of up to five who send each other images.',
    'No prevalence figure exists. 0.05% was our first guess, raised fourfold so a run of a few thousand holds a circle.',
  ),
  newMaterialTraderShare: assumed('Share of traders whose images are new (made by them or their circle): none is on a hash list.', 'Ours: most traded material is old, so a minority.'),
  traderImagesPerDay: assumed('Images a trader sends a day to their circle (Poisson).', 'Ours, unsourced.'),
  knownMaterialShare: sourced(
    'Share of a trader of known material\'s images that are already on the hash list (the rest are new to it).',
    'Meta\'s analysis of the material it reported to NCMEC over two months: more than 90% was the same as or visually similar to material reported before.',
    'stated directly',
  ),
  viralKnownImageShare: sourced(
    'Share of viral sharers whose one forwarded item is a known abuse image, sent in outrage or bad humour, not to trade (the rest forward something harmless).',
    'Set so that at the defaults about three in four accounts that send a known image are not traders: Meta\'s sample of 150 accounts it reported found more than 75% showed no malicious intent.',
    'computed from sourced figures',
  ),
  ordinaryImageShare: assumed('Share of an ordinary account\'s messages that carry a photo.', 'Ours: one message in twenty.'),
  parentPhotoShare: assumed('Share of a parent\'s messages to their child that carry a photo of a child (bath time, the beach): a confounder for a nudity classifier.', 'Ours, unsourced.'),
  teenSextingShare: assumed(
    'Share of a teen couple\'s messages that carry a nude image one of them took (a confounder: new, never on a list, and what a classifier of new material looks for).',
    'Ours. Thorn\'s surveys find about one in seven aged 9-17 has shared a nude; the share per message is unknown.',
  ),
  politicalImageShare: assumed('Share of ordinary photos that are political images (a protest, a cartoon): what a tampered list would be made to find.', 'Ours: an order of magnitude.'),
  hashRecall: sourced(
    'Chance a known image, not deliberately altered, matches the hash list (the hash survives resizing and recompression).',
    'PhotoDNA\'s developer claimed about 98% of derived images recognised (2009).',
    'via press',
  ),
  hashFalseMatchRate: sourced(
    'Chance an innocent image matches the hash list by accident (per image).',
    'Apple\'s reported test of NeuralHash: 3 false matches in 100 million images (PhotoDNA\'s claim is lower).',
    'via press',
  ),
  matchThreshold: sourced(
    'Matched images an account must send before the platform can see them and review it (threshold secret sharing, as in Apple\'s 2021 design).',
    'Apple\'s 2021 design: 30 matches before review.',
    'via press',
  ),
  evasionShare: assumed(
    'Share of traders who re-encode their images past the list before sending; an altered image then matches only 1 time in 1,000 (Jain et al. evaded black-box perceptual hashes on more than 99.9% of images).',
    'Ours: how many offenders do it is unknown; the attack itself is published and works.',
  ),
  listTamperedShare: assumed(
    'Share of the hash list that is not abuse material (planted by whoever controls the list). A political image then matches with chance 8 x this share, up to 1.',
    'Off: the list as intended. The factor follows Hooda et al., where poisoning 5% of the list found more than 40% of the targeted images; linear in between is ours.',
  ),
  groomingClassifierTpr: sourced(
    'Chance the grooming classifier flags a grooming conversation (one sender, one recipient, one day).',
    'Morris and Hirst at PAN-2012: F1 0.83 with behavioural features (0.77 on words alone), on a benchmark with decoys; used as the true-positive rate, which F1 is not.',
    'stated directly',
  ),
  groomingClassifierFpr: assumed(
    'Chance the grooming classifier flags an innocent conversation.',
    'Ours: 1 in 1,000 conversations; no deployed tool publishes one (the Commission expects about 1 in 10 of its flags to be wrong, a precision figure that holds only at its test set\'s base rate).',
  ),
  sextortionClassifierTpr: assumed('Chance a classifier of threats and payment demands flags a sextortion conversation.', 'Ours: near the grooming figure; no published figure.'),
  sextortionClassifierFpr: assumed('Chance it flags an innocent conversation.', 'Ours: 1 in 1,000, as for grooming.'),
  spamClassifierTpr: sourced(
    'Chance a content-based spam classifier flags a spam conversation.',
    'A study of junk messages in WhatsApp\'s public groups: F1 0.88 from content (0.90 from metadata alone); used as the true-positive rate.',
    'via press',
  ),
  spamClassifierFpr: assumed('Chance it flags an innocent conversation.', 'Ours: 1 in 1,000.'),
  drugsClassifierTpr: assumed('Chance a classifier of drug sales (emoji price lists, codes) flags a sale.', 'Ours: lower than the others, as sellers use shifting codes; no source.'),
  drugsClassifierFpr: assumed('Chance it flags an innocent conversation.', 'Ours: 1 in 1,000.'),
  imageClassifierTpr: assumed('Chance a classifier of abuse images flags one (known or new).', 'Ours: no vendor publishes a recall.'),
  imageClassifierFpr: sourced(
    'Chance it flags an innocent image (per image).',
    'Thorn\'s classifier: a false-positive rate of 0.1%, 1 image in 1,000, as reported by a cryptographer quoting it.',
    'via press',
  ),
  childPhotoFlagProbability: assumed(
    'Chance the image classifier flags a parent\'s photo of their own child.',
    'Ours: it happens (a father\'s photos of his toddler for a doctor cost him his Google account in 2021, as the New York Times reported); how often is unknown.',
  ),
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
