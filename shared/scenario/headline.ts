/**
 * The debate's headline figure, computed on this population instead of quoted: of the offenders
 * full content access refers (its true positives), the share each method that keeps end-to-end
 * encryption still refers. Beside it, the estimates the debate quotes, labelled as estimates
 * (docs/scenario.md names their sources).
 */
import { HARMS, type Harm, type Population } from './population.js';

export interface HeadlineRow {
  readonly method: string;
  readonly title: string;
  /** Offenders this method refers (true positives). */
  readonly offendersReferred: number;
  /** Of the offenders full content access refers, the share this method also refers. */
  readonly shareOfContentAccessReferrals: number | null;
  /** 1 minus that: the share "lost" when content access goes. */
  readonly shareLost: number | null;
  /** This method's offenders over content access's: above 1 when it finds offenders the classifier misses. */
  readonly ratioToContentAccess: number | null;
  readonly perHarm: Record<Harm, number | null>;
  /** Every referral, innocent ones included, over content access's. */
  readonly allReferralsRatio: number | null;
}

export interface Headline {
  readonly question: string;
  readonly contentAccessOffendersReferred: number;
  readonly contentAccessReferrals: number;
  readonly rows: readonly HeadlineRow[];
  readonly quotedEstimates: readonly { readonly who: string; readonly claim: string; readonly shareLost: string; readonly kind: 'estimate' }[];
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

export function headline(
  pop: Population,
  harmStart: ReadonlyMap<number, number>,
  contentAccess: ReadonlyMap<number, number>,
  methods: readonly { readonly id: string; readonly title: string; readonly flagged: ReadonlyMap<number, number> }[],
): Headline {
  const offenders = (m: ReadonlyMap<number, number>): number[] => [...m.keys()].filter((id) => harmStart.has(id));
  const full = offenders(contentAccess);
  const fullByHarm = (h: Harm) => full.filter((id) => pop.kind[id] === h);
  return {
    question: 'Of the offenders full content access would refer on this population, what share does each method that keeps end-to-end encryption still refer?',
    contentAccessOffendersReferred: full.length,
    contentAccessReferrals: contentAccess.size,
    rows: methods.map(({ id, title, flagged }) => {
      const found = offenders(flagged);
      const share = full.length === 0 ? null : round(full.filter((x) => flagged.has(x)).length / full.length);
      const perHarm = Object.fromEntries(
        HARMS.map((h) => {
          const base = fullByHarm(h);
          return [h, base.length === 0 ? null : round(base.filter((x) => flagged.has(x)).length / base.length)];
        }),
      ) as Record<Harm, number | null>;
      return {
        method: id,
        title,
        offendersReferred: found.length,
        shareOfContentAccessReferrals: share,
        shareLost: share === null ? null : round(1 - share),
        ratioToContentAccess: full.length === 0 ? null : round(found.length / full.length),
        perHarm,
        allReferralsRatio: contentAccess.size === 0 ? null : round(flagged.size / contentAccess.size),
      };
    }),
    quotedEstimates: [
      {
        who: 'UK National Crime Agency (2023)',
        claim: 'Share of the referrals from Facebook and Instagram that would be lost when Messenger and Instagram messages become end-to-end encrypted.',
        shareLost: '85-92% (92% of Facebook reports, 85% of Instagram reports)',
        kind: 'estimate',
      },
      {
        who: 'NCMEC (2019)',
        claim: 'Share of Facebook\'s reports to NCMEC that would be lost if Messenger were end-to-end encrypted, as quoted in the 2019 US, UK and Australian open letter to Facebook.',
        shareLost: '70% (about 12 million reports a year)',
        kind: 'estimate',
      },
    ],
  };
}
