/**
 * The briefing's charts, as Vega-Lite specs built from a result and rendered to SVG (svg.ts).
 * Each chart's data is the result's own figures: nothing is computed here that the result does
 * not hold, so the charts, the tables and result.json always agree.
 */
import type { TopLevelSpec } from 'vega-lite';
import { HARMS, ORDINARY_KINDS } from '../population.js';
import type { ComputedMethod, ScenarioResult } from '../scoring.js';
import { HARM_NAMES, KIND_NAMES, methodName, percent, whole, decimal, hours } from './labels.js';
import { specToSvg } from './svg.js';

export interface Chart {
  readonly id: string;
  readonly title: string;
  readonly svg: string;
}

/** The quoted estimates, as the share still referred (one minus the share they say is lost). */
export const NCA_KEPT = { low: 0.08, high: 0.15 } as const;
export const NCMEC_KEPT = 0.3;

const WIDTH = 520;
const FONT = 'Helvetica, Arial, sans-serif';
const CONFIG = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, labelLimit: 220 },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom', direction: 'horizontal', columns: 3, labelLimit: 200 },
  title: { fontSize: 13, anchor: 'start' },
} as const;
const PALETTE = ['#1f5fa8', '#c0392b', '#7a4fa3', '#2e7d32', '#b06000', '#546e7a'];

const computed = (r: ScenarioResult): ComputedMethod[] => r.methods.filter((m): m is ComputedMethod => m.computed);
const base = (description: string): Pick<TopLevelSpec, '$schema' | 'description' | 'config' | 'background'> => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  description,
  background: 'white',
  config: CONFIG as TopLevelSpec['config'],
});

function headlineSpec(r: ScenarioResult): TopLevelSpec {
  const rows = r.headline.rows.map((row) => ({ method: methodName(row.method), share: row.shareOfContentAccessReferrals ?? 0, label: `${percent(row.shareOfContentAccessReferrals)} (${row.offendersReferred} offenders)` }));
  const order = rows.map((x) => x.method);
  const estimates = [
    { who: 'NCA estimate: 8-15% still referred', from: NCA_KEPT.low, to: NCA_KEPT.high },
    { who: 'NCMEC estimate: 30% still referred', from: NCMEC_KEPT, to: NCMEC_KEPT },
  ];
  return {
    ...base('Share of full content access\'s offender referrals that each method keeping end-to-end encryption still makes, beside the quoted estimates.'),
    width: WIDTH,
    height: 34 * rows.length,
    layer: [
      {
        data: { values: estimates },
        mark: { type: 'rect', color: '#f2c94c', opacity: 0.45 },
        encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } },
      },
      {
        data: { values: estimates },
        mark: { type: 'rule', color: '#8a6d00', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: { field: 'from', type: 'quantitative' } },
      },
      {
        data: { values: estimates.map((e, i) => ({ ...e, y: i === 0 ? -14 : -2 })) },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#6b5400' },
        encoding: { x: { field: 'to', type: 'quantitative' }, y: { field: 'y', type: 'quantitative', scale: null }, text: { field: 'who' } },
      },
      {
        data: { values: rows },
        layer: [
          {
            mark: { type: 'bar', color: '#1f5fa8', height: 20 },
            encoding: {
              y: { field: 'method', type: 'nominal', sort: order, title: null },
              x: { field: 'share', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', title: 'Share of content access\'s offender referrals still made' } },
            },
          },
          {
            mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 },
            encoding: { y: { field: 'method', type: 'nominal', sort: order }, x: { field: 'share', type: 'quantitative' }, text: { field: 'label' } },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}

function heatmapSpec(description: string, values: { row: string; harm: string; value: number | null; text: string }[], rowOrder: string[], scheme: string): TopLevelSpec {
  return {
    ...base(description),
    data: { values: values.map((v) => ({ ...v, shade: v.value ?? 0 })) },
    width: WIDTH - 150,
    height: 26 * rowOrder.length,
    encoding: {
      y: { field: 'row', type: 'nominal', sort: rowOrder, title: null },
      x: { field: 'harm', type: 'nominal', sort: HARMS.map((h) => HARM_NAMES[h]), title: null, axis: { orient: 'top', labelAngle: 0, labelLimit: 70 } },
    },
    layer: [
      { mark: { type: 'rect', stroke: 'white' }, encoding: { color: { field: 'shade', type: 'quantitative', scale: { scheme, domain: [0, 1] }, legend: null } } },
      { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'text' }, color: { condition: { test: 'datum.shade > 0.6', value: 'white' }, value: 'black' } } },
    ],
  } as TopLevelSpec;
}

function recallSpec(r: ScenarioResult): TopLevelSpec {
  const methods = computed(r);
  const rows = [...methods.map((m) => ({ id: m.id, perHarm: m.score.perHarm })), { id: 'combined', perHarm: r.combinedE2eeMethods.perHarm }];
  const values = rows.flatMap(({ id, perHarm }) =>
    HARMS.map((h) => ({ row: methodName(id), harm: HARM_NAMES[h], value: perHarm[h].recall, text: perHarm[h].actors === 0 ? 'none' : `${percent(perHarm[h].recall)}` })),
  );
  return heatmapSpec('Recall: the share of each harm\'s active offenders each method flagged.', values, rows.map((x) => methodName(x.id)), 'blues');
}

function precisionSpec(r: ScenarioResult): TopLevelSpec {
  const methods = computed(r);
  const first = methods[0]!;
  const baseRow = 'Base rate (share of all accounts)';
  const values = [
    ...methods.flatMap((m) => HARMS.map((h) => ({ row: methodName(m.id), harm: HARM_NAMES[h], value: m.score.perHarm[h].precision, text: percent(m.score.perHarm[h].precision) }))),
    ...HARMS.map((h) => ({ row: baseRow, harm: HARM_NAMES[h], value: first.score.perHarm[h].baseRate, text: percent(first.score.perHarm[h].baseRate) })),
  ];
  return heatmapSpec('Precision: of every account each method flagged, the share that are this harm\'s offenders; the base rate beside it.', values, [...methods.map((m) => methodName(m.id)), baseRow], 'oranges');
}

function falsePositivesSpec(r: ScenarioResult): TopLevelSpec {
  const methods = computed(r);
  const per10k = 10_000 / r.population.accounts;
  const values = methods.flatMap((m) => ORDINARY_KINDS.map((k) => ({ method: methodName(m.id), kind: KIND_NAMES[k]!, value: m.score.falsePositivesByKind[k] * per10k })));
  const totals = methods.map((m) => ({ method: methodName(m.id), total: m.score.falsePositivesPer10k, label: decimal(m.score.falsePositivesPer10k) }));
  const order = methods.map((m) => methodName(m.id));
  return {
    ...base('Innocent accounts flagged per 10,000 users over the run, by what kind of ordinary user they are (confounders: parents, coaches, viral sharers, teens in couples).'),
    width: WIDTH - 120,
    height: 30 * methods.length,
    layer: [
      {
        data: { values },
        mark: { type: 'bar', height: 20 },
        encoding: {
          y: { field: 'method', type: 'nominal', sort: order, title: null },
          x: { field: 'value', type: 'quantitative', stack: 'zero', title: 'Innocent accounts flagged per 10,000 users' },
          color: { field: 'kind', type: 'nominal', title: 'Who', sort: ORDINARY_KINDS.map((k) => KIND_NAMES[k]!), scale: { range: PALETTE } },
          order: { field: 'kind' },
        },
      },
      { data: { values: totals }, mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 }, encoding: { y: { field: 'method', type: 'nominal', sort: order }, x: { field: 'total', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}

function timeSpec(r: ScenarioResult): TopLevelSpec {
  const values = computed(r).flatMap((m) =>
    HARMS.flatMap((h) => {
      const hrs = m.score.perHarm[h].medianHoursToDetection;
      return hrs === null ? [] : [{ method: methodName(m.id), harm: HARM_NAMES[h], hours: Math.max(hrs, 0.1), label: hours(hrs) }];
    }),
  );
  return {
    ...base('Median time from an offender\'s first message to the method flagging them, per harm (log scale; the detectors are read once a simulated day).'),
    data: { values },
    width: WIDTH - 150,
    height: 30 * HARMS.length,
    mark: { type: 'point', filled: true, size: 90, opacity: 0.85 },
    encoding: {
      y: { field: 'harm', type: 'nominal', sort: HARMS.map((h) => HARM_NAMES[h]), title: null },
      x: { field: 'hours', type: 'quantitative', scale: { type: 'log', domain: [1, 2000] }, axis: { values: [1, 6, 24, 72, 168, 720], title: 'Median hours to detection (24 = a day, 168 = a week)' } },
      color: { field: 'method', type: 'nominal', title: 'Method', sort: computed(r).map((m) => methodName(m.id)), scale: { range: PALETTE } },
      shape: { field: 'method', type: 'nominal', sort: computed(r).map((m) => methodName(m.id)) },
    },
  } as TopLevelSpec;
}

function privacySpec(r: ScenarioResult): TopLevelSpec {
  const values = computed(r).map((m) => ({
    method: methodName(m.id),
    share: m.privacy.shareOfInnocentMessages,
    label: `${whole(m.privacy.innocentMessagesReadable)} messages (${percent(m.privacy.shareOfInnocentMessages)})`,
  }));
  const order = values.map((v) => v.method);
  return {
    ...base('Privacy cost: the share of innocent messages each method lets the platform read.'),
    data: { values },
    width: WIDTH - 200,
    height: 30 * values.length,
    encoding: { y: { field: 'method', type: 'nominal', sort: order, title: null } },
    layer: [
      { mark: { type: 'bar', color: '#c0392b', height: 20 }, encoding: { x: { field: 'share', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', title: 'Share of all innocent messages readable' } } } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 }, encoding: { x: { field: 'share', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}

function workloadSpec(r: ScenarioResult): TopLevelSpec {
  const values = r.reviewerWorkload.map((w) => ({ method: methodName(w.method), value: w.accountsPer10kUsersPerDay, label: decimal(w.accountsPer10kUsersPerDay, 2) }));
  const order = values.map((v) => v.method);
  return {
    ...base('Reviewer workload: accounts each method sends to a human reviewer, per 10,000 users per day.'),
    data: { values },
    width: WIDTH - 150,
    height: 30 * values.length,
    encoding: { y: { field: 'method', type: 'nominal', sort: order, title: null } },
    layer: [
      { mark: { type: 'bar', color: '#7a4fa3', height: 20 }, encoding: { x: { field: 'value', type: 'quantitative', title: 'Accounts to review per 10,000 users per day' } } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 }, encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}

function tornadoSpec(r: ScenarioResult): TopLevelSpec | null {
  const t = r.tornado;
  if (!t || t.base === null) return null;
  const baseFigure = t.base;
  const order = t.bars.map((b) => b.parameter);
  const values = t.bars.flatMap((b) => [
    { parameter: b.parameter, end: 'Low value', from: baseFigure, to: b.figureAtLow ?? baseFigure, label: `${b.low}: ${percent(b.figureAtLow)}` },
    { parameter: b.parameter, end: 'High value', from: baseFigure, to: b.figureAtHigh ?? baseFigure, label: `${b.high}: ${percent(b.figureAtHigh)}` },
  ]);
  return {
    ...base('Tornado: how far the headline figure moves when each of the five most influential defaults is set to its low and its high value.'),
    width: WIDTH - 160,
    height: 40 * Math.max(t.bars.length, 1),
    layer: [
      {
        data: { values },
        mark: { type: 'bar', height: 22, opacity: 0.85 },
        encoding: {
          y: { field: 'parameter', type: 'nominal', sort: order, title: null },
          x: { field: 'from', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', title: `Headline figure (at ${whole(t.users)} users x ${t.days} days; base ${percent(baseFigure)})` } },
          x2: { field: 'to' },
          color: { field: 'end', type: 'nominal', title: 'Parameter set to its', sort: ['Low value', 'High value'], scale: { range: ['#1f5fa8', '#c0392b'] } },
        },
      },
      ...(['left', 'right'] as const).map((align) => ({
        data: { values },
        transform: [{ filter: align === 'left' ? 'datum.to >= datum.from' : 'datum.to < datum.from' }],
        mark: { type: 'text' as const, fontSize: 10, align, dx: align === 'left' ? 4 : -4 },
        encoding: { y: { field: 'parameter', type: 'nominal' as const, sort: order }, x: { field: 'to', type: 'quantitative' as const }, text: { field: 'label' } },
      })),
      { data: { values: [{ at: baseFigure }] }, mark: { type: 'rule', color: 'black', strokeWidth: 1.5 }, encoding: { x: { field: 'at', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

function ukSpec(r: ScenarioResult): TopLevelSpec {
  const values = r.ukScaled.rows.flatMap((row) => [
    { method: methodName(row.method), what: 'Offenders referred', value: row.truePositives, label: whole(row.truePositives) },
    { method: methodName(row.method), what: 'Innocent accounts flagged', value: row.falsePositives, label: whole(row.falsePositives) },
  ]);
  const order = r.ukScaled.rows.map((row) => methodName(row.method));
  return {
    ...base(`True and false positives over ${r.ukScaled.days} days, scaled to a service of ${whole(r.ukScaled.users)} accounts (symmetric log scale).`),
    data: { values },
    width: WIDTH - 170,
    height: 46 * order.length,
    encoding: {
      y: { field: 'method', type: 'nominal', sort: order, title: null },
      yOffset: { field: 'what', type: 'nominal', sort: ['Offenders referred', 'Innocent accounts flagged'] },
    },
    layer: [
      {
        mark: { type: 'bar', height: 16 },
        encoding: {
          x: { field: 'value', type: 'quantitative', scale: { type: 'symlog' }, axis: { values: [0, 100, 10_000, 1_000_000, 100_000_000], format: '~s', title: `Accounts over ${r.ukScaled.days} days, UK-sized service` } },
          color: { field: 'what', type: 'nominal', title: null, sort: ['Offenders referred', 'Innocent accounts flagged'], scale: { range: ['#2e7d32', '#c0392b'] } },
        },
      },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}

/** Every chart of the briefing, in reading order, as standalone SVG (the tornado only when the result has one). */
export async function chartSvgs(result: ScenarioResult): Promise<Chart[]> {
  const specs: { id: string; title: string; spec: TopLevelSpec | null }[] = [
    { id: 'headline', title: 'The headline: content access\'s offender referrals that each method still makes', spec: headlineSpec(result) },
    { id: 'recall', title: 'Recall: the share of each harm\'s offenders found', spec: recallSpec(result) },
    { id: 'precision', title: 'Precision, with the base rate beside it', spec: precisionSpec(result) },
    { id: 'false-positives', title: 'Innocent accounts flagged per 10,000 users, by who they are', spec: falsePositivesSpec(result) },
    { id: 'time-to-detection', title: 'Time to detection', spec: timeSpec(result) },
    { id: 'privacy', title: 'Privacy cost: innocent messages the platform can read', spec: privacySpec(result) },
    { id: 'workload', title: 'Reviewer workload', spec: workloadSpec(result) },
    { id: 'tornado', title: 'The assumptions that move the headline most', spec: tornadoSpec(result) },
    { id: 'uk', title: 'Scaled to a UK-sized service', spec: ukSpec(result) },
  ];
  const charts: Chart[] = [];
  for (const { id, title, spec } of specs) if (spec) charts.push({ id, title, svg: await specToSvg(spec, `chart-${id}`) });
  return charts;
}

