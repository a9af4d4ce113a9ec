/**
 * `renderBriefing(result, run)`: the briefing as one self-contained HTML file. No script, no
 * network: the charts are inline SVG (charts.ts), the styles inline CSS, and it prints on A4 with
 * a page break before each part. Every string that goes into the HTML is escaped, and nothing
 * depends on the clock or the machine: the same result and run give the same bytes.
 */
import { HARMS } from '../population.js';
import { BLIND_SPOT_RECALL, type ComputedMethod, type ScenarioResult } from '../scoring.js';
import { chartSvgs, type Chart } from './charts.js';
import { BRIEFING_CSS } from './style.js';
import { HARM_NAMES, hours, methodName, percent, whole, decimal } from './labels.js';
import { biggestCaveat, keySentences } from './text.js';
import { parametersTable, sourcesList } from './provenance-tables.js';

/** What the runner knows of the run itself (run.json): shown at the end, never in the figures. */
export interface BriefingRunInfo {
  readonly seconds?: number;
  readonly peakResidentMemoryMB?: number;
  readonly node?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for an HTML text node or a quoted attribute. */
export const esc = (text: unknown): string => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const CAPTIONS: Record<string, string> = {
  headline: 'Bars: computed on this run. Shaded band and dashed lines: the quoted estimates (NCA, 2023; NCMEC, 2019), turned from "lost" into "still referred"; they are estimates about other platforms, not results of this model.',
  recall: 'Computed on this run. "none": no active offender of that harm in this run.',
  precision: 'Computed on this run. Precision is only meaningful beside the base rate (the last row: the harm\'s offenders over all accounts): a method that flags everyone has a precision equal to the base rate.',
  'false-positives': 'Computed on this run: every innocent account each method flagged over the whole run, per 10,000 users.',
  'time-to-detection': 'Computed on this run: median hours from an offender\'s first message to the end of the day the method first flagged them. A harm with no point for a method: it found none.',
  privacy: 'Computed on this run. Who else could read what each method exposes is in the table below.',
  workload: 'Computed on this run: every account flagged, divided by the users (per 10,000) and the days.',
  tornado: 'Computed by re-running the scenario at a smaller size, one default at a time at its low and high value (the ranges and their provenance are in the table below).',
  uk: 'This run\'s counts multiplied up to a UK-sized service (the size is sourced; see the parameters). A multiplication, not a model of the UK.',
};

function figure(chart: Chart): string {
  return `<figure id="${esc(chart.id)}" class="chart"><h3>${esc(chart.title)}</h3>${chart.svg}<figcaption>${esc(CAPTIONS[chart.id] ?? '')}</figcaption></figure>`;
}

const table = (head: string[], rows: string[][], caption: string): string =>
  `<table><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`)
    .join('')}</tbody></table>`;

function summary(r: ScenarioResult): string {
  const combined = r.headline.rows.find((x) => x.method === 'combined');
  const estimates = r.headline.quotedEstimates
    .map((e) => `<tr><th scope="row">${esc(e.who)}</th><td>${esc(e.shareLost)} lost</td><td>Estimate, quoted: ${esc(e.claim)}</td></tr>`)
    .join('');
  return `<section class="summary">
<p class="kicker">Briefing · Envelope scenario · synthetic population, seed ${esc(r.parameters.seed?.value)}</p>
<h1>If messages are end-to-end encrypted, how much abuse is still found, and at what cost to everyone else?</h1>
<p class="question">${esc(r.headline.question)}</p>
<table class="headline"><caption>The headline, computed here beside the estimates the debate quotes</caption>
<thead><tr><th scope="col">Who</th><th scope="col">Share lost</th><th scope="col">What it is</th></tr></thead><tbody>
<tr class="computed"><th scope="row">This model: signals, reports and scanning together</th><td>${esc(percent(combined?.shareLost ?? null))} lost (${esc(percent(combined?.shareOfContentAccessReferrals ?? null))} still referred)</td><td>Computed on this run: ${esc(whole(r.headline.contentAccessOffendersReferred))} offenders referred by full content access.</td></tr>
${estimates}</tbody></table>
<h2>What matters</h2>
<ul class="key">${keySentences(r).map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
<h2>The biggest caveat</h2>
<p class="caveat">${esc(biggestCaveat(r))}</p>
</section>`;
}

/** Offenders found over offenders active, all harms together (the per-harm table has each). */
function recallOverAllHarms(m: ComputedMethod): string {
  const actors = HARMS.reduce((n, h) => n + m.score.perHarm[h].actors, 0);
  const found = HARMS.reduce((n, h) => n + m.score.perHarm[h].detected, 0);
  return actors === 0 ? 'none active' : percent(found / actors);
}

function methodTables(r: ScenarioResult): string {
  const methods = r.methods.filter((m): m is ComputedMethod => m.computed);
  const perHarm = HARMS.map((h) => [
    `${HARM_NAMES[h]} (${methods[0]?.score.perHarm[h].actors ?? 0} active, base rate ${percent(methods[0]?.score.perHarm[h].baseRate ?? 0)})`,
    ...methods.map((m) => {
      const s = m.score.perHarm[h];
      return s.actors === 0 ? 'none present' : `${s.detected} (${percent(s.recall)}), precision ${percent(s.precision)}, median ${hours(s.medianHoursToDetection)}`;
    }),
  ]);
  const totals = [
    'All accounts flagged (offenders / innocent)',
    ...methods.map((m) => `${whole(m.score.flagged)} (${whole(m.score.truePositives)} / ${whole(m.score.falsePositives)}); per 10,000 users: ${decimal(m.score.truePositivesPer10k)} / ${decimal(m.score.falsePositivesPer10k)}`),
  ];
  const workload = r.reviewerWorkload.map((w) => {
    const uk = r.ukScaled.rows.find((x) => x.method === w.method);
    return [
      methodName(w.method),
      `${decimal(w.accountsPer10kUsersPerDay, 2)} accounts${w.messagesPer10kUsersPerDay === null ? '' : `, ${decimal(w.messagesPer10kUsersPerDay, 2)} messages or images`}`,
      uk ? `${whole(uk.accountsToReviewPerDay)} accounts${uk.messagesToReviewPerDay === null ? '' : `, ${whole(uk.messagesToReviewPerDay)} messages or images`}` : 'n/a',
      uk ? `${whole(uk.truePositives)} / ${whole(uk.falsePositives)}` : 'n/a',
      w.whatTheReviewerSees,
    ];
  });
  const blind = methods.map((m) => [
    methodName(m.id),
    `${recallOverAllHarms(m)} of active offenders`,
    m.blindSpots.mostlyMissed.length === 0 ? 'none' : m.blindSpots.mostlyMissed.map((h) => HARM_NAMES[h]).join(', '),
    m.blindSpots.cannotSee,
  ]);
  const privacy = methods.map((m) => [methodName(m.id), `${whole(m.privacy.innocentMessagesReadable)} (${percent(m.privacy.shareOfInnocentMessages)})`, m.privacy.whatIsRead, m.privacy.capabilityLeftBehind]);
  return [
    table(['Harm', ...methods.map((m) => methodName(m.id))], [...perHarm, totals], 'Per method and harm: offenders found (recall), precision, and the median time to detection. Computed on this run.'),
    table(
      ['Method', 'Recall', `Harms it found fewer than ${percent(BLIND_SPOT_RECALL)} of, on this run`, 'What it cannot see, whatever the run'],
      blind,
      'Blind spots beside recall. Computed on this run, except the last column, which holds for the method itself.',
    ),
    table(
      ['Method', 'To review per 10,000 users a day', `To review a day, UK-sized service (${whole(r.ukScaled.users)} accounts)`, `Offenders / innocent accounts over ${r.ukScaled.days} days, UK-sized`, 'What the reviewer sees'],
      workload,
      `Reviewer workload and UK scaling. ${r.ukScaled.note}`,
    ),
    table(['Method', 'Innocent messages readable', 'What is read', 'Capability left behind (who else could read)'], privacy, 'Privacy cost and the capability each method leaves behind.'),
  ].join('\n');
}

function tornadoTable(r: ScenarioResult): string {
  const t = r.tornado;
  if (!t) return '<p>The tornado was switched off for this run (<code>--no-tornado</code>).</p>';
  const rows = [...t.bars, ...t.others].map((b, i) => [
    `${b.label ?? b.parameter} (${b.parameter})`,
    String(b.defaultValue),
    `${b.low} to ${b.high} (${b.range})`,
    `${percent(b.figureAtLow)} to ${percent(b.figureAtHigh)}`,
    `${decimal(b.swing * 100)} points${i < t.bars.length ? ' (charted)' : ''}`,
    b.why,
  ]);
  return `<p>${esc(t.figure)} ${esc(t.why)} Base at this size: ${esc(percent(t.base))}; at seed ${esc(t.noiseFloor.seed)} instead: ${esc(percent(t.noiseFloor.figure))} (noise floor ${esc(t.noiseFloor.difference === null ? 'n/a' : `${decimal(t.noiseFloor.difference * 100)} points`)}).</p>${table(
    ['Parameter', 'Value in the run', 'Range tried (provenance)', 'Headline at low / high', 'Swing', 'Why this range'],
    rows,
    `Every default the tornado varied, largest swing first (${t.runs} runs at ${whole(t.users)} users x ${t.days} days, seed ${t.seed}).`,
  )}`;
}

export async function renderBriefing(result: ScenarioResult, runInfo?: BriefingRunInfo): Promise<string> {
  const charts = await chartSvgs(result);
  const chart = (id: string): string => {
    const c = charts.find((x) => x.id === id);
    return c ? figure(c) : '';
  };
  const run = runInfo
    ? `This run took ${runInfo.seconds ?? 'n/a'} s with a peak of ${runInfo.peakResidentMemoryMB ?? 'n/a'} MB resident${runInfo.node ? ` (Node ${runInfo.node})` : ''}.`
    : '';
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Briefing: what each method catches, and at what cost (Envelope scenario, seed ${esc(result.parameters.seed?.value)})</title>
<style>${BRIEFING_CSS}</style>
</head>
<body>
<main>
${summary(result)}
<section class="part">
<h2>The figures</h2>
${chart('headline')}
${chart('recall')}
${chart('precision')}
${chart('false-positives')}
${chart('time-to-detection')}
${chart('privacy')}
${chart('workload')}
</section>
<section class="part">
<h2>What moves the headline, and the UK scale</h2>
${chart('tornado')}
${tornadoTable(result)}
${chart('uk')}
</section>
<section class="part">
<h2>The tables</h2>
${methodTables(result)}
</section>
<section class="part">
<h2>Parameters and where each default comes from</h2>
<p>"Sourced": a published figure, described in our words, with how far it was checked ("stated directly": the source itself was read; "via press": reported second-hand). "Assumed": ours, with the reason. A value marked "changed" was set for this run.</p>
${parametersTable(result, esc)}
</section>
<section class="part">
<h2>Sources</h2>
${sourcesList(result, esc)}
<p class="small">${esc(result.timeResolution)} ${esc(run)} Not modelled: ${esc(result.notYetModelled.join(' '))}</p>
</section>
</main>
</body>
</html>
`;
}
