/**
 * The content model and the three methods that read content (docs/scenario.md, methods 3-5).
 * Each delivered envelope gets what it carries (an image of some kind, or text that is harmful or
 * not), drawn here from its own streams and never shown to a detector. Then:
 *  (3) client-side scanning hashes every image on the sender's device against a list; an account
 *      whose matches reach the threshold is revealed to the platform, with all its matched images;
 *  (4) full content access runs a classifier over every conversation and image;
 *  (5) targeted access reads only accounts that methods 1 or 2 already flagged, from that moment,
 *      and runs the same classifier (the same decisions) over their messages.
 * Every envelope consumes the same four draws whatever the parameters, so changing one (the
 * evasion share, a false-positive rate) changes only the outcomes it governs.
 */
import type { ScenarioParameters } from './parameters.js';
import { HARMS, TRADER_KINDS, type Harm, type Kind, type Population } from './population.js';
import { stream, type Random } from './random.js';
import { ROLE_COUPLE, ROLE_HARM, ROLE_TRADE_IMAGE, ROLE_VIRAL } from './events.js';

export const IMAGE_KINDS = ['abuse-known', 'abuse-new', 'teen-nude', 'child-photo', 'political', 'other'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

/** An image re-encoded past the list still matches this often [sourced: Jain et al., USENIX Security 2022, evasion on >99.9% of images]. */
const EVADED_MATCH_RATE = 0.001;
/** A tampered list finds a political image with chance TAMPER_FACTOR x the tampered share, up to 1 [computed: Hooda et al., 5% poisoned found >40%]. */
const TAMPER_FACTOR = 8;

const isTrader = (kind: Kind): boolean => (TRADER_KINDS as readonly string[]).includes(kind);

export interface ContentFacts {
  /** Envelopes whose sender is a harmful actor acting as one (the rest are innocent messages). */
  readonly harmfulMessages: number;
  readonly innocentMessages: number;
  readonly imagesByKind: Record<ImageKind, number>;
  /** Reports filed on innocent messages: what user reports let moderators read of innocent traffic. */
  readonly innocentMessagesReported: number;
  readonly scanning: {
    readonly flagged: Map<number, number>;
    readonly matches: number;
    /** Matched images the platform could see (accounts past the threshold), by what they really are. */
    readonly revealedByContent: Record<ImageKind, number>;
  };
  readonly fullAccess: { readonly flagged: Map<number, number> };
  readonly targeted: {
    readonly flagged: Map<number, number>;
    /** Flagged accounts whose messages were read, and the other accounts whose messages to or from them were. */
    readonly accountsRead: number;
    readonly correspondentsRead: number;
    readonly innocentMessagesRead: number;
  };
}

/** What `ContentModel.observe` says of an envelope: sent by a harmful actor acting as one; flagged by the classifier. */
export const CONTENT_HARMFUL = 1;
export const CONTENT_FLAGGED = 2;

/** The methods that read content except targeted access (which waits for the detectors: TargetedAccess). */
export type ContentModelFacts = Omit<ContentFacts, 'targeted'>;

export class ContentModel {
  private readonly evading: Uint8Array;
  /** Offenders whose modified app skips the scanning code (rogueClientShare): none of their images is hashed. */
  private readonly rogue: Uint8Array;
  /** Each account's harm (index into HARMS), or -1: read per envelope, so looked up once. */
  private readonly harmOf: Int8Array;
  private draws!: Random;
  /** Today's conversations (sender x recipient) the classifier has already decided. */
  private units = new Set<number>();
  private harmful = 0;
  private innocent = 0;
  private innocentReported = 0;
  private readonly images = Object.fromEntries(IMAGE_KINDS.map((k) => [k, 0])) as Record<ImageKind, number>;
  private readonly matchedKinds = new Map<number, Record<ImageKind, number>>();
  private readonly matchCount = new Map<number, number>();
  private readonly scanFlagged = new Map<number, number>();
  private readonly fullFlagged = new Map<number, number>();
  private matches = 0;
  private readonly textFpr: number;
  private readonly textTpr: Record<Harm, number>;

  constructor(
    private readonly pop: Population,
    private readonly p: ScenarioParameters,
  ) {
    this.evading = new Uint8Array(pop.size);
    this.harmOf = new Int8Array(pop.size);
    this.rogue = new Uint8Array(pop.size);
    const evasion = stream(p.seed, 'evasion');
    // Its own stream, so switching a rogue client on moves no other draw.
    const rogueClient = stream(p.seed, 'rogue-client');
    for (let id = 0; id < pop.size; id++) {
      this.evading[id] = evasion.float() < p.evasionShare && isTrader(pop.kind[id]!) ? 1 : 0;
      this.harmOf[id] = (HARMS as readonly string[]).indexOf(pop.kind[id]!);
      this.rogue[id] = rogueClient.float() < p.rogueClientShare && this.harmOf[id]! >= 0 ? 1 : 0;
    }
    // Each text classifier runs over every conversation: an innocent one is flagged if any of them misfires.
    this.textFpr = 1 - (1 - p.groomingClassifierFpr) * (1 - p.sextortionClassifierFpr) * (1 - p.spamClassifierFpr) * (1 - p.drugsClassifierFpr);
    // Traders' conversations around their images carry no text the classifiers look for: the image classifier finds them.
    this.textTpr = { grooming: p.groomingClassifierTpr, sextortion: p.sextortionClassifierTpr, spam: p.spamClassifierTpr, drugs: p.drugsClassifierTpr, 'known-material': this.textFpr, 'new-material': this.textFpr };
  }

  startDay(day: number): void {
    this.draws = stream(this.p.seed, `content-${day}`);
    this.units = new Set();
  }

  /**
   * One delivered envelope, in time order (`role`: events.ts). `dayEnd`: when today's flags are
   * read (the detectors' resolution). Returns CONTENT_HARMFUL and CONTENT_FLAGGED bits.
   */
  observe(from: number, to: number, role: number, dayEnd: number): number {
    const { pop, p } = this;
    const uImage = this.draws.float();
    const uHash = this.draws.float();
    const uImageClass = this.draws.float();
    const uText = this.draws.float();
    const harmIndex = this.harmOf[from]!;
    const harm = (role === ROLE_HARM || role === ROLE_TRADE_IMAGE) && harmIndex >= 0 ? HARMS[harmIndex] : undefined;
    if (harm) this.harmful++;
    else this.innocent++;
    const image = this.imageOf(from, to, role, pop.kind[from]!, uImage);
    if (image) this.images[image]++;

    // (3) Client-side scanning: every image is hashed on the sender's device, unless that device runs a modified app.
    if (image && this.rogue[from] === 0 && this.matchesList(image, from, uHash)) {
      this.matches++;
      let kinds = this.matchedKinds.get(from);
      if (!kinds) this.matchedKinds.set(from, (kinds = Object.fromEntries(IMAGE_KINDS.map((k) => [k, 0])) as Record<ImageKind, number>));
      kinds[image]++;
      const count = (this.matchCount.get(from) ?? 0) + 1;
      this.matchCount.set(from, count);
      if (count >= p.matchThreshold && !this.scanFlagged.has(from)) this.scanFlagged.set(from, dayEnd);
    }

    // (4) The classifier: one decision per conversation (sender, recipient, day) and per image.
    const unitKey = from * pop.size + to;
    let flagged = false;
    if (!this.units.has(unitKey)) {
      this.units.add(unitKey);
      flagged = harm !== undefined && role === ROLE_HARM ? uText < this.textTpr[harm] : uText < this.textFpr;
    }
    if (image && uImageClass < this.imageFlagRate(image)) flagged = true;
    if (flagged && !this.fullFlagged.has(from)) this.fullFlagged.set(from, dayEnd);
    return (harm !== undefined ? CONTENT_HARMFUL : 0) | (flagged ? CONTENT_FLAGGED : 0);
  }

  /** A report was filed (reports due after the run's end never are): moderators read the message. */
  reportFiled(ofHarmfulMessage: boolean): void {
    if (!ofHarmfulMessage) this.innocentReported++;
  }

  private imageOf(from: number, to: number, role: number, kind: Kind, u: number): ImageKind | undefined {
    const { p, pop } = this;
    if (role === ROLE_TRADE_IMAGE) {
      if (kind === 'new-material') return 'abuse-new';
      // u is uniform: reuse it for the known/new split, so the image count never moves with the share.
      return u < p.knownMaterialShare ? 'abuse-known' : 'abuse-new';
    }
    if (role === ROLE_VIRAL) return pop.viralKnown.has(from) ? 'abuse-known' : 'other';
    if (role === ROLE_COUPLE) return u < p.teenSextingShare ? 'teen-nude' : undefined;
    if (role === ROLE_HARM) return undefined;
    if (kind === 'parent' && pop.minor[to] === 1 && u < p.parentPhotoShare) return 'child-photo';
    if (u < p.ordinaryImageShare) return u < p.ordinaryImageShare * p.politicalImageShare ? 'political' : 'other';
    return undefined;
  }

  private matchesList(image: ImageKind, sender: number, u: number): boolean {
    const { p } = this;
    if (image === 'abuse-known') return u < (this.evading[sender] === 1 ? EVADED_MATCH_RATE : p.hashRecall);
    if (image === 'political' && u < Math.min(1, TAMPER_FACTOR * p.listTamperedShare)) return true;
    return u < p.hashFalseMatchRate;
  }

  private imageFlagRate(image: ImageKind): number {
    const { p } = this;
    if (image === 'abuse-known' || image === 'abuse-new' || image === 'teen-nude') return p.imageClassifierTpr;
    if (image === 'child-photo') return p.childPhotoFlagProbability;
    return p.imageClassifierFpr;
  }

  facts(): ContentModelFacts {
    const revealed = Object.fromEntries(IMAGE_KINDS.map((k) => [k, 0])) as Record<ImageKind, number>;
    for (const id of this.scanFlagged.keys()) for (const k of IMAGE_KINDS) revealed[k] += this.matchedKinds.get(id)![k];
    return {
      harmfulMessages: this.harmful,
      innocentMessages: this.innocent,
      imagesByKind: this.images,
      innocentMessagesReported: this.innocentReported,
      scanning: { flagged: sortedById(this.scanFlagged), matches: this.matches, revealedByContent: revealed },
      fullAccess: { flagged: sortedById(this.fullFlagged) },
    };
  }
}

const sortedById = (m: Map<number, number>): Map<number, number> => new Map([...m].sort((a, b) => a[0] - b[0]));

/**
 * (5) Targeted access: reads only envelopes to or from an account methods 1 or 2 already flagged,
 * from the moment they did, and takes the classifier's decisions on them (ContentModel's). Kept
 * apart because it waits for the detectors: the rest of the content model does not, so it can run
 * where the traffic is generated.
 */
export class TargetedAccess {
  private readonly flagged = new Map<number, number>();
  private readonly read = new Set<number>();
  private readonly correspondents = new Set<number>();
  private innocentRead = 0;

  /** `content`: ContentModel.observe's bits for the envelope; `suspects`: accounts methods 1 or 2 flagged, with the time they did. */
  observe(from: number, to: number, at: number, content: number, dayEnd: number, suspects: ReadonlyMap<number, number>): void {
    if (suspects.size === 0) return;
    const fromSuspect = (suspects.get(from) ?? Infinity) <= at;
    const toSuspect = (suspects.get(to) ?? Infinity) <= at;
    if (!fromSuspect && !toSuspect) return;
    if ((content & CONTENT_HARMFUL) === 0) this.innocentRead++;
    if (fromSuspect) this.read.add(from);
    else this.correspondents.add(from);
    if (toSuspect) this.read.add(to);
    else this.correspondents.add(to);
    if (fromSuspect && (content & CONTENT_FLAGGED) !== 0 && !this.flagged.has(from)) this.flagged.set(from, dayEnd);
  }

  facts(): ContentFacts['targeted'] {
    return {
      flagged: sortedById(this.flagged),
      accountsRead: this.read.size,
      correspondentsRead: [...this.correspondents].filter((id) => !this.read.has(id)).length,
      innocentMessagesRead: this.innocentRead,
    };
  }
}
