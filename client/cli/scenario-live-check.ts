/**
 * The live run's comparison with the fast path (DIR/live-check.json): per detector, the accounts
 * each flagged and the day each was first flagged; the accounts reported; the two methods the
 * server's own pipeline decides (metadata signals, user reports), scored the same way; per
 * envelope, whether the live client sealed it where the fast path's model did, and whether the
 * server stored it at the generated time; and per account, whether the server holds it with the
 * generated creation time and declared age band. `equal` is true only if all of them agree.
 */
import { accountName, type ComputedMethod, type ScenarioResult } from '@envelope/scenario';
import type { LiveAccountCheck, LiveEnvelopeCheck, LiveRun } from './scenario-live.js';

export interface DetectorCheck {
  readonly id: string;
  readonly title: string;
  /** The accounts flagged at the end of the run, by name, sorted. */
  readonly fastPath: readonly string[];
  readonly live: readonly string[];
  /** Also flagged first at the end of the same simulated day. */
  readonly sameDays: boolean;
  readonly equal: boolean;
}

export interface MethodCheck {
  readonly id: string;
  readonly title: string;
  /** Its score and its parts' scores, the same to the last figure. */
  readonly equal: boolean;
  readonly flaggedFastPath: number;
  readonly flaggedLive: number;
}

export interface LiveCheck {
  readonly format: 'envelope-scenario-live-check/1';
  readonly equal: boolean;
  readonly parameters: { readonly users: number; readonly days: number; readonly seed: number };
  readonly envelopes: LiveEnvelopeCheck & { readonly equal: boolean };
  readonly accounts: LiveAccountCheck & { readonly equal: boolean };
  readonly detectors: readonly DetectorCheck[];
  readonly reports: { readonly filed: number; readonly fastPath: readonly string[]; readonly live: readonly string[]; readonly equal: boolean };
  readonly methods: readonly MethodCheck[];
  /** The whole result.json of each side, byte for byte (the other methods share the generator's facts, so this follows from the rest). */
  readonly resultIdentical: boolean;
}

/** The methods whose figures come from the server's own pipeline: the ones the live run proves. */
export const PIPELINE_METHODS = ['metadata-signals', 'user-reports'] as const;

const names = (ids: Iterable<number>): string[] => [...ids].sort((a, b) => a - b).map(accountName);
const sameMap = (a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): boolean => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

function method(result: ScenarioResult, id: string): ComputedMethod | undefined {
  const found = result.methods.find((m) => m.id === id);
  return found?.computed ? found : undefined;
}

export function compareLiveRun(run: LiveRun): LiveCheck {
  const fast = run.fastFacts.detections;
  const live = run.liveDetections;
  const ids = [...new Set([...fast.detectors.keys(), ...live.detectors.keys()])];
  const detectors = ids.map((id): DetectorCheck => {
    const f = fast.detectors.get(id)?.first ?? new Map<number, number>();
    const l = live.detectors.get(id)?.first ?? new Map<number, number>();
    const fastPath = names(f.keys());
    const liveNames = names(l.keys());
    const sameDays = sameMap(f, l);
    return { id, title: (fast.detectors.get(id) ?? live.detectors.get(id))!.title, fastPath, live: liveNames, sameDays, equal: sameDays && fastPath.join() === liveNames.join() };
  });
  const reportsFast = names(fast.anyReport.keys());
  const reportsLive = names(live.anyReport.keys());
  const reports = { filed: run.reportsFiled, fastPath: reportsFast, live: reportsLive, equal: sameMap(fast.anyReport, live.anyReport) };
  const methods = PIPELINE_METHODS.map((id): MethodCheck => {
    const f = method(run.fastPath, id);
    const l = method(run.live, id);
    return {
      id,
      title: f?.title ?? l?.title ?? id,
      equal: f !== undefined && l !== undefined && JSON.stringify({ s: f.score, p: f.parts }) === JSON.stringify({ s: l.score, p: l.parts }),
      flaggedFastPath: f?.score.flagged ?? 0,
      flaggedLive: l?.score.flagged ?? 0,
    };
  });
  const e = run.envelopes;
  const envelopes = { ...e, equal: e.sent === e.generated && e.sealedDifferCount === 0 && e.timeDifferCount === 0 };
  const a = run.accounts;
  const accounts = { ...a, equal: a.onServer === a.signedUp && a.createdAtDiffer.length === 0 && a.ageBandDiffer.length === 0 };
  const resultIdentical = JSON.stringify(run.fastPath) === JSON.stringify(run.live);
  return {
    format: 'envelope-scenario-live-check/1',
    equal: envelopes.equal && accounts.equal && reports.equal && detectors.every((d) => d.equal) && methods.every((m) => m.equal) && resultIdentical,
    parameters: { users: run.parameters.users, days: run.parameters.days, seed: run.parameters.seed },
    envelopes,
    accounts,
    detectors,
    reports,
    methods,
    resultIdentical,
  };
}
