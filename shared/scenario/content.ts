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
import type { GeneratedEvent } from './traffic.js';

export const IMAGE_KINDS = ['abuse-known', 'abuse-new', 'teen-nude', 'child-photo', 'political', 'other'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

/** An image re-encoded past the list still matches this often [sourced: Jain et al., USENIX Security 2022, evasion on >99.9% of images]. */
const EVADED_MATCH_RATE = 0.001;
/** A tampered list finds a political image with chance TAMPER_FACTOR x the tampered share, up to 1 [computed: Hooda et al., 5% poisoned found >40%]. */
const TAMPER_FACTOR = 8;

const isHarm = (kind: Kind): kind is Harm => (HARMS as readonly string[]).includes(kind);
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

interface Unit {
  readonly harmful: boolean;
}

export class ContentModel {
  private readonly evading: Uint8Array;
  private draws!: Random;
  private units = new Map<number, Unit>();
  private harmful = 0;
  private innocent = 0;
  private innocentReported = 0;
  private readonly images = Object.fromEntries(IMAGE_KINDS.map((k) => [k, 0])) as Record<ImageKind, number>;
  private readonly matchedKinds = new Map<number, Record<ImageKind, number>>();
  private readonly matchCount = new Map<number, number>();
  private readonly scanFlagged = new Map<number, number>();
  private readonly fullFlagged = new Map<number, number>();
  private readonly targetedFlagged = new Map<number, number>();
  private readonly read = new Set<number>();
  private readonly correspondents = new Set<number>();
  private innocentRead = 0;
  private matches = 0;
  private readonly textFpr: number;
  private readonly textTpr: Record<Harm, number>;

  constructor(
    private readonly pop: Population,
    private readonly p: ScenarioParameters,
  ) {
    this.evading = new Uint8Array(pop.size);
    const evasion = stream(p.seed, 'evasion');
    for (let id = 0; id < pop.size; id++) this.evading[id] = evasion.float() < p.evasionShare && isTrader(pop.kind[id]!) ? 1 : 0;
    // Each text classifier runs over every conversation: an innocent one is flagged if any of them misfires.
    this.textFpr = 1 - (1 - p.groomingClassifierFpr) * (1 - p.sextortionClassifierFpr) * (1 - p.spamClassifierFpr) * (1 - p.drugsClassifierFpr);
    // Traders' conversations around their images carry no text the classifiers look for: the image classifier finds them.
    this.textTpr = { grooming: p.groomingClassifierTpr, sextortion: p.sextortionClassifierTpr, spam: p.spamClassifierTpr, drugs: p.drugsClassifierTpr, 'known-material': this.textFpr, 'new-material': this.textFpr };
  }

  startDay(day: number): void {
    this.draws = stream(this.p.seed, `content-${day}`);
    this.units = new Map();
  }

  /**
   * One delivered envelope, in time order. `dayEnd`: when today's flags are read (the detectors'
   * resolution). `suspects`: accounts methods 1 or 2 flagged, with the time they did.
   */
  observe(g: GeneratedEvent, dayEnd: number, suspects: ReadonlyMap<number, number>): { readonly harmful: boolean } {
    const { pop, p } = this;
    const [uImage, uHash, uImageClass, uText] = [this.draws.float(), this.draws.float(), this.draws.float(), this.draws.float()];
    const kind = pop.kind[g.from]!;
    const harm = (g.role === 'harm' || g.role === 'trade-image') && isHarm(kind) ? kind : undefined;
    if (harm) this.harmful++;
    else this.innocent++;
    const image = this.imageOf(g, kind, uImage);
    if (image) this.images[image]++;

    // (3) Client-side scanning: every image is hashed on the sender's device.
    if (image && this.matchesList(image, g.from, uHash)) {
      this.matches++;
      let kinds = this.matchedKinds.get(g.from);
      if (!kinds) this.matchedKinds.set(g.from, (kinds = Object.fromEntries(IMAGE_KINDS.map((k) => [k, 0])) as Record<ImageKind, number>));
      kinds[image]++;
      const count = (this.matchCount.get(g.from) ?? 0) + 1;
      this.matchCount.set(g.from, count);
      if (count >= p.matchThreshold && !this.scanFlagged.has(g.from)) this.scanFlagged.set(g.from, dayEnd);
    }

    // (4) The classifier: one decision per conversation (sender, recipient, day) and per image.
    const unitKey = g.from * pop.size + g.to;
    let unit = this.units.get(unitKey);
    let flagged = false;
    if (!unit) {
      this.units.set(unitKey, (unit = { harmful: harm !== undefined && g.role === 'harm' }));
      flagged = unit.harmful && harm ? uText < this.textTpr[harm] : uText < this.textFpr;
    }
    if (image && uImageClass < this.imageFlagRate(image)) flagged = true;
    if (flagged && !this.fullFlagged.has(g.from)) this.fullFlagged.set(g.from, dayEnd);

    // (5) Targeted access: only envelopes to or from an account already flagged by methods 1 or 2.
    const fromSuspect = (suspects.get(g.from) ?? Infinity) <= g.at;
    const toSuspect = (suspects.get(g.to) ?? Infinity) <= g.at;
    if (fromSuspect || toSuspect) {
      if (!harm) this.innocentRead++;
      if (fromSuspect) this.read.add(g.from);
      else this.correspondents.add(g.from);
      if (toSuspect) this.read.add(g.to);
      else this.correspondents.add(g.to);
      if (fromSuspect && flagged && !this.targetedFlagged.has(g.from)) this.targetedFlagged.set(g.from, dayEnd);
    }
    return { harmful: harm !== undefined };
  }

  /** A report was filed (reports due after the run's end never are): moderators read the message. */
  reportFiled(ofHarmfulMessage: boolean): void {
    if (!ofHarmfulMessage) this.innocentReported++;
  }

  private imageOf(g: GeneratedEvent, kind: Kind, u: number): ImageKind | undefined {
    const { p, pop } = this;
    if (g.role === 'trade-image') {
      if (kind === 'new-material') return 'abuse-new';
      // u is uniform: reuse it for the known/new split, so the image count never moves with the share.
      return u < p.knownMaterialShare ? 'abuse-known' : 'abuse-new';
    }
    if (g.role === 'viral') return pop.viralKnown.has(g.from) ? 'abuse-known' : 'other';
    if (g.role === 'couple') return u < p.teenSextingShare ? 'teen-nude' : undefined;
    if (g.role === 'harm') return undefined;
    if (kind === 'parent' && pop.minor[g.to] === 1 && u < p.parentPhotoShare) return 'child-photo';
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

  facts(): ContentFacts {
    const revealed = Object.fromEntries(IMAGE_KINDS.map((k) => [k, 0])) as Record<ImageKind, number>;
    for (const id of this.scanFlagged.keys()) for (const k of IMAGE_KINDS) revealed[k] += this.matchedKinds.get(id)![k];
    const sorted = (m: Map<number, number>) => new Map([...m].sort((a, b) => a[0] - b[0]));
    return {
      harmfulMessages: this.harmful,
      innocentMessages: this.innocent,
      imagesByKind: this.images,
      innocentMessagesReported: this.innocentReported,
      scanning: { flagged: sorted(this.scanFlagged), matches: this.matches, revealedByContent: revealed },
      fullAccess: { flagged: sorted(this.fullFlagged) },
      targeted: { flagged: sorted(this.targetedFlagged), accountsRead: this.read.size, correspondentsRead: [...this.correspondents].filter((id) => !this.read.has(id)).length, innocentMessagesRead: this.innocentRead },
    };
  }
}
