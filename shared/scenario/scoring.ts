/**
 * Scoring: what each method flagged, against the ground truth only this file reads. Per method
 * and per harm: recall, precision beside the base rate, true and false positives per 10,000
 * accounts, time to detection. Methods not built yet are listed as such, with no figure.
 */
import { DEFAULTS, PARAMETER_INFO, type ParameterInfo, type ScenarioParameters } from './parameters.js';
import type { ContentFacts, ImageKind } from './content.js';
import type { FeedFacts } from './feed.js';
import { headline, type Headline } from './headline.js';
import { CONFOUNDER_KINDS, HARMS, ORDINARY_KINDS, type Harm, type OrdinaryKind, type Population } from './population.js';
import { reviewerWorkload, reviewInputs, ukScale, type ReviewerWorkload, type UkScale } from './workload.js';
import type { Tornado } from './tornado.js';

export interface Detections {
  /** Per detector id: its title, and the end of the day each account first appeared in its flagged list. */
  readonly detectors: Map<string, { readonly title: string; readonly first: Map<number, number> }>;
  /** End of the day each account's first report was filed (the moderators' queue). */
  readonly anyReport: Map<number, number>;
}

/** What the feed counted, with what the detectors flagged and, in `content`, what targeted access read. */
export interface RunFacts extends Omit<FeedFacts, 'content'> {
  readonly detections: Detections;
  readonly content: ContentFacts;
}

/** What a method costs everyone else: the innocent messages it lets the platform read, and who else could use what it builds. */
export interface PrivacyCost {
  readonly innocentMessagesReadable: number;
  /** Over every innocent message of the run. */
  readonly shareOfInnocentMessages: number;
  readonly whatIsRead: string;
  readonly capabilityLeftBehind: string;
}

export interface HarmScore {
  readonly actors: number;
  readonly baseRate: number;
  readonly detected: number;
  readonly recall: number | null;
  /** Of every account the method flagged, the share that are this harm's actors (one harm against the rest). */
  readonly precision: number | null;
  readonly truePositivesPer10k: number;
  readonly medianHoursToDetection: number | null;
}

export interface Score {
  readonly flagged: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  /** Of every account flagged, the share that are harmful (any harm). */
  readonly precision: number | null;
  readonly truePositivesPer10k: number;
  readonly falsePositivesPer10k: number;
  readonly falsePositivesByKind: Record<OrdinaryKind, number>;
  /** Flagged confounders (parents, coaches, viral sharers, teen peers) over all confounders. */
  readonly confounderFalsePositiveRate: number | null;
  readonly perHarm: Record<Harm, HarmScore>;
}

export interface ComputedMethod {
  readonly id: string;
  readonly title: string;
  readonly computed: true;
  readonly score: Score;
  readonly privacy: PrivacyCost;
  /** What the method cannot see, beside its recall: said in words, and the harms it mostly missed on this run. */
  readonly blindSpots: BlindSpots;
  readonly parts: readonly { readonly id: string; readonly title: string; readonly targets: readonly Harm[]; readonly score: Score }[];
}

export interface BlindSpots {
  /** What the method cannot see by its nature, whatever the run. */
  readonly cannotSee: string;
  /** Harms with offenders in this run of which the method found fewer than half (BLIND_SPOT_RECALL). */
  readonly mostlyMissed: readonly Harm[];
}

/** Below this recall on a harm, the harm is listed as one of the method's blind spots on the run. */
export const BLIND_SPOT_RECALL = 0.5;

function blindSpots(s: Score, cannotSee: string): BlindSpots {
  return { cannotSee, mostlyMissed: HARMS.filter((h) => s.perHarm[h].actors > 0 && (s.perHarm[h].recall ?? 0) < BLIND_SPOT_RECALL) };
}

/** A method listed without a figure (none today; kept for methods a later session adds). */
export interface PendingMethod {
  readonly id: string;
  readonly title: string;
  readonly computed: false;
  readonly note: string;
}

export interface ScenarioResult {
  readonly format: 'envelope-scenario/1';
  readonly parameters: Record<string, ParameterInfo & { readonly value: unknown; readonly isDefault: boolean }>;
  readonly timeResolution: string;
  readonly population: { readonly accounts: number; readonly declaredMinors: number; readonly byKind: Record<string, number>; readonly activeActors: Record<Harm, number> };
  readonly traffic: {
    readonly envelopes: number;
    readonly sealedEnvelopes: number;
    readonly reportsFiled: number;
    readonly reportsOfSealedMessages: number;
    /** Distinct accounts each harm's actors wrote to: the exposure discoverability changes. */
    readonly accountsContactedByHarm: Record<Harm, number>;
  };
  readonly content: {
    readonly harmfulMessages: number;
    readonly innocentMessages: number;
    readonly imagesByKind: Record<ImageKind, number>;
    readonly scanning: { readonly listMatches: number; readonly revealedByContent: Record<ImageKind, number> };
    readonly targetedAccess: { readonly accountsRead: number; readonly correspondentsRead: number };
  };
  readonly methods: readonly (ComputedMethod | PendingMethod)[];
  /** Methods 1-3 together: an account flagged by any of them. */
  readonly combinedE2eeMethods: Score;
  readonly headline: Headline;
  /** Per method and for methods 1-3 together: what a human reviewer is sent, per 10,000 users and per day. */
  readonly reviewerWorkload: readonly ReviewerWorkload[];
  /** The true and false positives and the workload, scaled to a UK-sized service (`ukUsers`). */
  readonly ukScaled: UkScale;
  /** The assumptions that move the headline most, computed by the runner at a stated smaller size (absent when it was switched off). */
  readonly tornado?: Tornado;
  readonly notYetModelled: readonly string[];
}

/**
 * The harm(s) each server detector is built for, first the one its recall is judged on (each
 * detector's file comment). "Many user reports" says itself that a groomed child rarely reports,
 * so grooming comes last for it.
 */
export const DETECTOR_TARGETS: Record<string, readonly Harm[]> = {
  'stranger-contacts': ['sextortion', 'spam', 'grooming'],
  'cross-age-band': ['grooming'],
  'fan-out': ['spam'],
  'one-way': ['sextortion'],
  'new-account-volume': ['sextortion', 'spam'],
  'user-reports': ['sextortion', 'spam', 'grooming'],
};

const round = (x: number): number => Math.round(x * 10_000) / 10_000;
const totalImages = (byKind: Record<ImageKind, number>): number => Object.values(byKind).reduce((a, b) => a + b, 0);
const ratio = (a: number, b: number): number | null => (b === 0 ? null : round(a / b));

export function score(flaggedAt: Map<number, number>, pop: Population, facts: RunFacts): Score {
  const per10k = (x: number): number => round((x * 10_000) / pop.size);
  const byKind = Object.fromEntries(ORDINARY_KINDS.map((k) => [k, 0])) as Record<OrdinaryKind, number>;
  let truePositives = 0;
  for (const id of flaggedAt.keys()) {
    const kind = pop.kind[id]!;
    if ((HARMS as readonly string[]).includes(kind)) {
      if (facts.harmStart.has(id)) truePositives++;
    } else byKind[kind as OrdinaryKind]++;
  }
  const falsePositives = Object.values(byKind).reduce((a, b) => a + b, 0);
  let confounders = 0;
  for (const kind of pop.kind) if ((CONFOUNDER_KINDS as readonly string[]).includes(kind)) confounders++;
  const flaggedConfounders = CONFOUNDER_KINDS.reduce((a, k) => a + byKind[k], 0);
  const flagged = truePositives + falsePositives;
  const perHarm = {} as Record<Harm, HarmScore>;
  for (const harm of HARMS) {
    let actors = 0;
    let detected = 0;
    const hours: number[] = [];
    for (const [id, start] of facts.harmStart) {
      if (pop.kind[id] !== harm) continue;
      actors++;
      const at = flaggedAt.get(id);
      if (at === undefined) continue;
      detected++;
      hours.push((at - start) / 3_600_000);
    }
    hours.sort((a, b) => a - b);
    perHarm[harm] = {
      actors,
      baseRate: round(actors / pop.size),
      detected,
      recall: ratio(detected, actors),
      precision: ratio(detected, flagged),
      truePositivesPer10k: per10k(detected),
      medianHoursToDetection: hours.length === 0 ? null : Math.round(hours[Math.floor((hours.length - 1) / 2)]! * 10) / 10,
    };
  }
  return {
    flagged,
    truePositives,
    falsePositives,
    precision: ratio(truePositives, flagged),
    truePositivesPer10k: per10k(truePositives),
    falsePositivesPer10k: per10k(falsePositives),
    falsePositivesByKind: byKind,
    confounderFalsePositiveRate: ratio(flaggedConfounders, confounders),
    perHarm,
  };
}

/** The earliest time across several detections. */
function union(maps: Iterable<Map<number, number>>): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of maps) for (const [id, at] of m) if (!(out.get(id)! <= at)) out.set(id, at);
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

export function scoreRun(p: ScenarioParameters, pop: Population, facts: RunFacts): ScenarioResult {
  const envelopeDetectors = [...facts.detections.detectors].filter(([id]) => id !== 'user-reports');
  const reportsDetector = facts.detections.detectors.get('user-reports');
  const part = (id: string, title: string, at: Map<number, number>) => ({ id, title, targets: DETECTOR_TARGETS[id] ?? [], score: score(at, pop, facts) });
  const byKind: Record<string, number> = {};
  for (const kind of pop.kind) byKind[kind] = (byKind[kind] ?? 0) + 1;
  const activeActors = Object.fromEntries(HARMS.map((h) => [h, [...facts.harmStart.keys()].filter((id) => pop.kind[id] === h).length])) as Record<Harm, number>;
  const parameters: ScenarioResult['parameters'] = {};
  for (const key of Object.keys(DEFAULTS) as (keyof ScenarioParameters)[]) {
    parameters[key] = { value: p[key], isDefault: p[key] === DEFAULTS[key], ...PARAMETER_INFO[key] };
  }
  const c = facts.content;
  const privacy = (readable: number, whatIsRead: string, capabilityLeftBehind: string): PrivacyCost => ({
    innocentMessagesReadable: readable,
    shareOfInnocentMessages: c.innocentMessages === 0 ? 0 : round(readable / c.innocentMessages),
    whatIsRead,
    capabilityLeftBehind,
  });
  const revealed = c.scanning.revealedByContent;
  const metadataFlags = union(envelopeDetectors.map(([, d]) => d.first));
  // Each method's score once: its figures and its blind spots both read it.
  const scored = {
    metadata: score(metadataFlags, pop, facts),
    reports: score(facts.detections.anyReport, pop, facts),
    scanning: score(c.scanning.flagged, pop, facts),
    fullAccess: score(c.fullAccess.flagged, pop, facts),
    targeted: score(c.targeted.flagged, pop, facts),
  };
  const methods: ComputedMethod[] = [
    {
      id: 'metadata-signals',
      title: 'Metadata signals: the server\'s own detectors over the metadata log (any of them)',
      computed: true,
      score: scored.metadata,
      privacy: privacy(
        0,
        'No message. The server sees who writes to whom, when, and how much: the social graph of everyone.',
        'The operator, and anyone who compels or breaches it, holds everyone\'s graph and timing (the metadata log, kept 30 days); never the content.',
      ),
      blindSpots: blindSpots(scored.metadata, 'What is said, and who sent a sealed envelope. It sees patterns, so an offender who writes like anyone else (one target, slowly, someone already a contact) passes unseen.'),
      parts: envelopeDetectors.map(([id, d]) => part(id, d.title, d.first)),
    },
    {
      id: 'user-reports',
      title: 'User reports: verified reports of messages, as recipients file them',
      computed: true,
      score: scored.reports,
      privacy: privacy(
        c.innocentMessagesReported,
        'The reported message only, chosen by a participant who could already read it (here, reports of innocent messages: feuds, mistakes).',
        'None new: franking proves who sent a reported message; nothing lets anyone read an unreported one.',
      ),
      blindSpots: blindSpots(scored.reports, 'Whatever nobody reports: willing parties (offenders trading among themselves, a buyer and a seller) and victims who are too young, afraid or unaware to report.'),
      parts: [
        part('any-report', 'At least one report (the moderators\' queue)', facts.detections.anyReport),
        ...(reportsDetector ? [part('user-reports', reportsDetector.title, reportsDetector.first)] : []),
      ],
    },
    {
      id: 'client-side-scanning',
      title: `Client-side scanning: every image hashed on the sender's phone against a list; an account is reviewed after ${p.matchThreshold} matches`,
      computed: true,
      score: scored.scanning,
      privacy: privacy(
        revealed.other + revealed.political + revealed['child-photo'] + revealed['teen-nude'],
        'The matched images of accounts past the threshold (their visual derivatives). Innocent ones: accidental matches, and whatever a tampered list was made to find.',
        'Whoever controls the hash list: anything added to it (a political image, a leaked document) is found on every phone and reported, and no user can check the list. The scanning code is on every device.',
      ),
      blindSpots: blindSpots(scored.scanning, 'Anything not on the list: new images, and all text (grooming, extortion, scams, sales); images re-encoded past the hash; and an app modified to skip the scan.'),
      parts: [],
    },
    {
      id: 'content-classifier',
      title: 'Full content access (transport-only): a classifier over every conversation and image',
      computed: true,
      score: scored.fullAccess,
      privacy: privacy(
        c.innocentMessages,
        'Every message of every user.',
        'The operator and anyone who compels, breaches or works inside it: every message, as it is sent and as long as it is kept.',
      ),
      blindSpots: blindSpots(scored.fullAccess, 'What the classifier misses at its stated rate, and whatever the offender moves to another service or another medium once everything is read.'),
      parts: [],
    },
    {
      id: 'targeted-access',
      title: 'Targeted access after suspicion (escrow or ghost): the classifier over accounts methods 1 or 2 flagged, from the moment they did',
      computed: true,
      score: scored.targeted,
      privacy: privacy(
        c.targeted.innocentMessagesRead,
        'Every message to or from a flagged account after it was flagged: the suspect\'s and everyone who writes to them.',
        'Whoever holds the escrow keys or can add a ghost device can read any account once it is named: the mechanism exists for every account, whoever names it.',
      ),
      blindSpots: blindSpots(scored.targeted, 'Everyone metadata signals and reports never flagged, and everything before the flag.'),
      parts: [],
    },
  ];
  const combinedFlags = union([metadataFlags, facts.detections.anyReport, c.scanning.flagged]);
  const top = headline(pop, facts.harmStart, c.fullAccess.flagged, [
    { id: 'metadata-signals', title: methods[0]!.title, flagged: metadataFlags },
    { id: 'user-reports', title: methods[1]!.title, flagged: facts.detections.anyReport },
    { id: 'client-side-scanning', title: methods[2]!.title, flagged: c.scanning.flagged },
    { id: 'combined', title: 'Metadata signals, user reports and client-side scanning together (any of them)', flagged: combinedFlags },
  ]);
  const combined = score(combinedFlags, pop, facts);
  const reviewedImages = totalImages(revealed);
  const workloadInputs = reviewInputs(methods, combined, facts.reportsFiled, reviewedImages);
  return {
    format: 'envelope-scenario/1',
    parameters,
    timeResolution:
      'Detection times are the end of the simulated day on which a method first flagged the account (the detectors are read once a day), minus the account\'s first envelope of the run.',
    population: { accounts: pop.size, declaredMinors: pop.band.filter((b) => b !== 'adult').length, byKind, activeActors },
    traffic: {
      envelopes: facts.envelopes,
      sealedEnvelopes: facts.sealed,
      reportsFiled: facts.reportsFiled,
      reportsOfSealedMessages: facts.reportsOfSealed,
      accountsContactedByHarm: facts.contacted,
    },
    content: {
      harmfulMessages: c.harmfulMessages,
      innocentMessages: c.innocentMessages,
      imagesByKind: c.imagesByKind,
      scanning: { listMatches: c.scanning.matches, revealedByContent: c.scanning.revealedByContent },
      targetedAccess: { accountsRead: c.targeted.accountsRead, correspondentsRead: c.targeted.correspondentsRead },
    },
    methods,
    combinedE2eeMethods: combined,
    headline: top,
    reviewerWorkload: reviewerWorkload(workloadInputs, pop.size, p.days),
    ukScaled: ukScale(workloadInputs, pop.size, p.days, p.ukUsers),
    notYetModelled: [
      'Groups: Envelope has none; a message to many is one envelope per recipient, as the coaches\' team messages are here.',
      'Delivery receipts: marked ones never reach a detector and sealed ones are unattributable, so they would change no figure here.',
      'Blocking: Envelope has none; a victim who blocks simply stops answering.',
      'Offenders who move to another service when scanning comes (a modified app that skips the scanning code is modelled: rogueClientShare).',
      'Text is not generated: each conversation is harmful or not, and a classifier flags it with its stated rates. Threshold choices, reviewers and appeals are not modelled.',
    ],
  };
}
