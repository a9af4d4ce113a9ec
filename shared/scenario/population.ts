/**
 * The population: accounts with a declared age band, communities, a contact graph from a
 * stochastic block model (blocks: community x age group, plus sparse contacts elsewhere), and each
 * account's archetype. The archetype (`kind`) is the ground truth: only the scoring reads it; the
 * detectors get the server's records (creation time, declared band) and nothing else.
 */
import type { AgeBand } from '@envelope/server/domain/signals/detector.js';
import type { ScenarioParameters } from './parameters.js';
import { stream, type Random } from './random.js';

/** Ordinary kinds (the last four are the confounders), then the harms. */
export const ORDINARY_KINDS = ['ordinary', 'joiner', 'parent', 'coach', 'viral-sharer', 'teen-peer'] as const;
export const CONFOUNDER_KINDS = ['parent', 'coach', 'viral-sharer', 'teen-peer'] as const;
export const HARMS = ['grooming', 'sextortion', 'spam', 'drugs', 'known-material', 'new-material'] as const;
/** Traders of abuse material: of known material (mostly on a hash list) or of new material (none on it). */
export const TRADER_KINDS = ['known-material', 'new-material'] as const;
export type OrdinaryKind = (typeof ORDINARY_KINDS)[number];
export type Harm = (typeof HARMS)[number];
export type Kind = OrdinaryKind | Harm;

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Day 0 starts here (a Monday, UTC): a fixed date, so the run does not depend on the clock. */
export const RUN_START_MS = Date.UTC(2026, 0, 5);

const MINOR_BANDS: readonly AgeBand[] = ['under-13', '13-15', '16-17'];
/** How declared minors split across bands [assumed]: few under-13s (services say 13+), the rest even. */
const MINOR_BAND_WEIGHTS = [0.1, 0.45, 0.45];
/** Contacts outside one's community that are in one's own age group [assumed]. */
const SAME_AGE_ELSEWHERE = 0.85;
/** A viral sharer's contact list is large [assumed]: it is what makes the forward a burst. */
const VIRAL_SHARER_CONTACTS = 40;
/** Traders meet in closed circles of this many [assumed]: small, dense and among themselves. */
const TRADER_CIRCLE = 5;

export interface Population {
  readonly size: number;
  readonly kind: Kind[];
  readonly band: AgeBand[];
  /** The account's true age group (a groomer may declare a teen band). */
  readonly minor: Uint8Array;
  readonly community: Int32Array;
  readonly createdAt: Float64Array;
  readonly activity: Float32Array;
  /** Uses sealed sender (Envelope still names it on a first message to someone who never wrote). */
  readonly sealed: Uint8Array;
  /** In a harvested list of numbers ("contacts-only" discoverability). */
  readonly harvested: Uint8Array;
  readonly contacts: number[][];
  /** Coaches' teams, teen couples' partners: the special ties traffic uses. */
  readonly team: Map<number, number[]>;
  readonly partner: Map<number, number>;
  /** Each trader's circle (the other traders it sends images to). */
  readonly circle: Map<number, number[]>;
  /** Viral sharers whose one forward is a known abuse image (outrage, bad humour), not a harmless item. */
  readonly viralKnown: Set<number>;
  /** Members of each community (adults and minors apart), for picking targets and ties. */
  readonly minorsByCommunity: number[][];
  readonly adultsByCommunity: number[][];
  readonly allMinors: number[];
}

export const accountName = (id: number): string => `u${String(id).padStart(7, '0')}`;

export function buildPopulation(p: ScenarioParameters): Population {
  const r = stream(p.seed, 'population');
  const n = p.users;
  const nRing = Math.round(n * p.sextortionAccountShare);
  const nBots = Math.round(n * p.spamBotShare);
  const settled = n - nRing - nBots;
  const nMinors = Math.round(settled * p.minorShare);
  const communities = Math.max(1, Math.round(settled / p.communitySize));

  const kind: Kind[] = new Array<Kind>(n).fill('ordinary');
  const band: AgeBand[] = new Array<AgeBand>(n).fill('adult');
  const minor = new Uint8Array(n);
  const community = new Int32Array(n).fill(-1);
  const createdAt = new Float64Array(n);
  const activity = new Float32Array(n);
  const contacts: number[][] = Array.from({ length: n }, () => []);
  const minorsByCommunity: number[][] = Array.from({ length: communities }, () => []);
  const adultsByCommunity: number[][] = Array.from({ length: communities }, () => []);
  const allMinors: number[] = [];

  // Settled accounts: ids 0..settled-1, minors first; signed up long before the run.
  for (let id = 0; id < settled; id++) {
    const isMinor = id < nMinors;
    minor[id] = isMinor ? 1 : 0;
    band[id] = isMinor ? MINOR_BANDS[r.weighted(MINOR_BAND_WEIGHTS, 1)]! : 'adult';
    community[id] = r.int(0, communities - 1);
    (isMinor ? minorsByCommunity : adultsByCommunity)[community[id]!]!.push(id);
    if (isMinor) allMinors.push(id);
    createdAt[id] = RUN_START_MS - r.int(30, 1500) * DAY_MS - r.int(0, DAY_MS - 1);
    activity[id] = r.activity(0.8);
  }

  const seen = new Set<number>();
  const link = (a: number, b: number): void => {
    if (a === b) return;
    const key = a < b ? a * n + b : b * n + a;
    if (seen.has(key)) return;
    seen.add(key);
    contacts[a]!.push(b);
    contacts[b]!.push(a);
  };

  // Within a community, the same age group: each pair linked with the block's probability.
  for (const groups of [minorsByCommunity, adultsByCommunity]) {
    for (const members of groups) {
      const pIn = Math.min(1, p.friendsInCommunity / Math.max(1, members.length - 1));
      for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) if (r.chance(pIn)) link(members[i]!, members[j]!);
    }
  }
  // Elsewhere: sparse between-community contacts, mostly within one's own age group.
  const adults = settled - nMinors;
  const elsewhere = Math.round((settled * p.friendsElsewhere) / 2);
  for (let e = 0; e < elsewhere; e++) {
    const a = r.int(0, settled - 1);
    const sameAge = r.chance(SAME_AGE_ELSEWHERE);
    const wantMinor = sameAge ? minor[a] === 1 : minor[a] === 0;
    const b = wantMinor ? (nMinors > 0 ? r.int(0, nMinors - 1) : a) : adults > 0 ? r.int(nMinors, settled - 1) : a;
    if (community[a] !== community[b]) link(a, b);
  }
  // Families: each minor has one or two parents among the adults of its community.
  for (const m of allMinors) {
    const local = adultsByCommunity[community[m]!]!;
    const parents = r.chance(0.6) ? 2 : 1;
    for (let k = 0; k < parents && local.length > 0; k++) {
      const parent = r.pick(local);
      link(m, parent);
      kind[parent] = 'parent';
    }
  }

  const adultIds: number[] = [];
  for (let id = nMinors; id < settled; id++) adultIds.push(id);
  const take = (pool: number[], count: number, as: Kind): number[] => {
    const chosen: number[] = [];
    for (let k = 0; k < count && pool.length > 0; k++) {
      const at = r.int(0, pool.length - 1);
      const id = pool[at]!;
      pool[at] = pool[pool.length - 1]!;
      pool.pop();
      kind[id] = as;
      chosen.push(id);
    }
    return chosen;
  };
  const adultPool = adultIds.slice();
  const groomers = take(adultPool, Math.round(adults * p.groomerShareOfAdults), 'grooming');
  for (const g of groomers) if (r.chance(p.groomerDeclaresTeenShare)) band[g] = '16-17';
  take(adultPool, Math.round(settled * p.drugSellerShare), 'drugs');
  const circle = new Map<number, number[]>();
  const traders = take(adultPool, Math.round(adults * p.traderShareOfAdults), 'known-material');
  // Circles of about TRADER_CIRCLE (never a trader alone): trader k joins circle k mod circles.
  const circles = Math.max(1, Math.round(traders.length / TRADER_CIRCLE));
  for (let c = 0; c < circles && traders.length > 1; c++) {
    const members = traders.filter((_, k) => k % circles === c);
    // A circle trades one kind of material: new material stays with those who make it.
    const kindOfCircle: Kind = r.chance(p.newMaterialTraderShare) ? 'new-material' : 'known-material';
    for (const t of members) {
      kind[t] = kindOfCircle;
      circle.set(t, members.filter((m) => m !== t));
      for (const m of members) link(t, m);
    }
  }
  const team = new Map<number, number[]>();
  for (const coach of take(adultPool, Math.round(adults * p.coachShareOfAdults), 'coach')) {
    const local = minorsByCommunity[community[coach]!]!;
    const size = r.int(12, 35);
    const members: number[] = [];
    for (let k = 0; k < size; k++) {
      const m = local.length > 0 && r.chance(0.7) ? r.pick(local) : allMinors.length > 0 ? r.pick(allMinors) : -1;
      if (m >= 0 && !members.includes(m)) members.push(m);
    }
    for (const m of members) link(coach, m);
    team.set(coach, members);
  }
  const anyPool = adultPool.concat();
  const viralKnown = new Set<number>();
  const viralDraw = stream(p.seed, 'viral-known');
  for (const id of take(anyPool, Math.round(settled * p.viralSharerShare), 'viral-sharer')) {
    if (viralDraw.chance(p.viralKnownImageShare)) viralKnown.add(id);
    while (contacts[id]!.length < VIRAL_SHARER_CONTACTS && settled > VIRAL_SHARER_CONTACTS + 1) link(id, r.int(0, settled - 1));
  }
  take(adultPool.filter((id) => kind[id] === 'ordinary'), Math.round(settled * p.joinersShare), 'joiner').forEach((id) => {
    createdAt[id] = RUN_START_MS + r.int(0, p.days * DAY_MS - 1);
  });
  const partner = new Map<number, number>();
  const couples = Math.round((nMinors * p.teenCoupleShareOfMinors) / 2);
  for (let c = 0; c < couples; c++) {
    const a = r.pick(allMinors);
    const local = minorsByCommunity[community[a]!]!.filter((m) => m !== a && !partner.has(m) && band[m] !== 'under-13');
    if (partner.has(a) || band[a] === 'under-13' || local.length === 0) continue;
    const b = r.pick(local);
    partner.set(a, b).set(b, a);
    kind[a] = kind[b] = 'teen-peer';
    link(a, b);
  }

  // New accounts made during the run: the ring's fake teen personas and the bots (times set by their plans).
  for (let id = settled; id < n; id++) {
    kind[id] = id < settled + nRing ? 'sextortion' : 'spam';
    band[id] = kind[id] === 'sextortion' ? '16-17' : 'adult';
    activity[id] = 1;
  }

  const sealedDraw = stream(p.seed, 'sealed-sender');
  const sealed = new Uint8Array(n);
  for (let id = 0; id < n; id++) sealed[id] = sealedDraw.float() < p.sealedSenderShare ? 1 : 0;
  const harvestDraw = stream(p.seed, 'harvested');
  const harvested = new Uint8Array(n);
  for (let id = 0; id < n; id++) harvested[id] = harvestDraw.float() < p.harvestedNumbersShare ? 1 : 0;

  return { size: n, kind, band, minor, community, createdAt, activity, sealed, harvested, contacts, team, partner, circle, viralKnown, minorsByCommunity, adultsByCommunity, allMinors };
}

/** A contact of a contact who is not already a contact (a friend of a friend), or -1. */
export function friendOfFriend(pop: Population, r: Random, id: number, want?: (candidate: number) => boolean): number {
  const mine = pop.contacts[id]!;
  for (let attempt = 0; attempt < 8 && mine.length > 0; attempt++) {
    const via = pop.contacts[r.pick(mine)]!;
    if (via.length === 0) continue;
    const candidate = r.pick(via);
    if (candidate !== id && !mine.includes(candidate) && (!want || want(candidate))) return candidate;
  }
  return -1;
}
