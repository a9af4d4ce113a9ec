/**
 * A run's figures as tables a room can read: the headline (what share of content access's
 * offenders each method that keeps end-to-end encryption still refers, beside the quoted
 * estimates), and per method and harm: recall, precision beside the base rate, time to
 * detection, and the cost to everyone else. Every figure is read from result.json as the
 * package wrote it; nothing here computes a score.
 */
import { BLIND_SPOT_RECALL, HARMS, type ComputedMethod, type ScenarioResult, type Score } from '@envelope/scenario';
import { count, hours, HARM_NAMES, methodName, per10k, percent, shareOf } from './format.js';

interface Column {
  readonly id: string;
  readonly name: string;
  readonly score: Score;
}

/** The five methods, then methods 1-3 together (the combination the headline scores). */
export function scoreColumns(result: ScenarioResult): Column[] {
  const computed = result.methods.filter((m): m is ComputedMethod => m.computed);
  return [
    ...computed.map((m) => ({ id: m.id, name: methodName(m.id, m.title), score: m.score })),
    { id: 'combined', name: methodName('combined', ''), score: result.combinedE2eeMethods },
  ];
}

export function Headline({ result }: { result: ScenarioResult }) {
  const h = result.headline;
  return (
    <div className="scenario-headline" data-testid="scenario-headline">
      <p className="scenario-question">{h.question}</p>
      <p>
        Full content access refers <strong data-testid="content-access-offenders">{count(h.contentAccessOffendersReferred)}</strong> offenders on this
        population ({count(h.contentAccessReferrals)} accounts in all, innocent ones included).
      </p>
      <div className="scenario-headline-grid">
        <table className="scenario-table">
          <caption>Computed on this run</caption>
          <thead>
            <tr>
              <th scope="col">Method that keeps end-to-end encryption</th>
              <th scope="col">Offenders it refers</th>
              <th scope="col">Share of content access’s offenders it still refers</th>
              <th scope="col">Share “lost”</th>
            </tr>
          </thead>
          <tbody>
            {h.rows.map((row) => (
              <tr key={row.method} data-testid={`headline-${row.method}`}>
                <th scope="row">{methodName(row.method, row.title)}</th>
                <td>{count(row.offendersReferred)}</td>
                <td className="scenario-big" data-testid="headline-share">
                  {percent(row.shareOfContentAccessReferrals)}
                </td>
                <td className="scenario-big">{percent(row.shareLost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="scenario-table scenario-estimates" data-testid="scenario-estimates">
          <caption>Estimates quoted in the debate (not results of this run)</caption>
          <thead>
            <tr>
              <th scope="col">Who estimated it</th>
              <th scope="col">Share of referrals lost</th>
            </tr>
          </thead>
          <tbody>
            {h.quotedEstimates.map((e) => (
              <tr key={e.who}>
                <th scope="row">
                  {e.who} <span className="scenario-estimate-tag">estimate</span>
                  <span className="scenario-estimate-claim">{e.claim}</span>
                </th>
                <td>
                  <span className="scenario-big">{e.shareLost.split(' (')[0]}</span>
                  {e.shareLost.includes(' (') && <span className="scenario-estimate-claim">({e.shareLost.split(' (').slice(1).join(' (')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">
        Referrals here are offenders (an innocent account’s referral is not a case). The estimates are about reports of images, mostly known images
        found by scanning on the server; this run’s figure is about offenders across six harms, in a population whose make-up is an assumption. Read the
        per-harm rows below, not only the total.
      </p>
    </div>
  );
}

function PerHarmTable({ caption, testId, columns, result, cell, first }: {
  caption: string;
  testId: string;
  columns: readonly Column[];
  result: ScenarioResult;
  cell: (score: Score, harm: (typeof HARMS)[number]) => string;
  first?: { heading: string; value: (harm: (typeof HARMS)[number]) => string };
}) {
  return (
    <div className="scenario-table-wrap">
      <table className="scenario-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Harm</th>
            {first && <th scope="col">{first.heading}</th>}
            {columns.map((c) => (
              <th scope="col" key={c.id}>
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {HARMS.map((harm) => (
            <tr key={harm} data-testid={`${testId}-${harm}`}>
              <th scope="row">
                {HARM_NAMES[harm]} <span className="muted">({count(result.population.activeActors[harm])})</span>
              </th>
              {first && <td>{first.value(harm)}</td>}
              {columns.map((c) => (
                <td key={c.id}>{cell(c.score, harm)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PerHarmTables({ result }: { result: ScenarioResult }) {
  const columns = scoreColumns(result);
  const anyMethod = columns[0]!.score;
  return (
    <>
      <PerHarmTable
        caption="Recall: offenders each method found, of those active in the run (in brackets after each harm)"
        testId="recall-table"
        columns={columns}
        result={result}
        cell={(s, h) => {
          const x = s.perHarm[h];
          return x.actors === 0 ? 'none in run' : `${count(x.detected)} of ${count(x.actors)} (${percent(x.recall)})`;
        }}
      />
      <BlindSpotsTable result={result} />
      <PerHarmTable
        caption="Precision beside the base rate: of all the accounts a method flagged, the share that are this harm’s offenders"
        testId="precision-table"
        columns={columns}
        result={result}
        first={{ heading: 'Base rate (offenders / accounts)', value: (h) => percent(anyMethod.perHarm[h].baseRate) }}
        cell={(s, h) => percent(s.perHarm[h].precision, 'nothing flagged')}
      />
      <PerHarmTable
        caption="Time to detection: median hours from an offender’s first message to the end of the day a method flagged them"
        testId="time-table"
        columns={columns}
        result={result}
        cell={(s, h) => hours(s.perHarm[h].medianHoursToDetection)}
      />
    </>
  );
}

/** Beside recall, what each method does not see: the harms it mostly missed on this run, and what it cannot see at all. */
function BlindSpotsTable({ result }: { result: ScenarioResult }) {
  const computed = result.methods.filter((m): m is ComputedMethod => m.computed);
  return (
    <div className="scenario-table-wrap">
      <table className="scenario-table" data-testid="blind-spots-table">
        <caption>Blind spots beside recall: the harms each method found fewer than {percent(BLIND_SPOT_RECALL)} of on this run, and what it cannot see whatever the run</caption>
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col">Mostly missed on this run</th>
            <th scope="col">Cannot see</th>
          </tr>
        </thead>
        <tbody>
          {computed.map((m) => (
            <tr key={m.id}>
              <th scope="row">{methodName(m.id, m.title)}</th>
              <td>{m.blindSpots.mostlyMissed.length === 0 ? 'none' : m.blindSpots.mostlyMissed.map((h) => HARM_NAMES[h]).join(', ')}</td>
              <td>{m.blindSpots.cannotSee}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CostTable({ result }: { result: ScenarioResult }) {
  const computed = result.methods.filter((m): m is ComputedMethod => m.computed);
  const offenders = Object.values(result.population.activeActors).reduce((a, b) => a + b, 0);
  return (
    <>
      <div className="scenario-table-wrap">
        <table className="scenario-table" data-testid="cost-table">
          <caption>
            Who each method flags, and what it lets the platform read. Base rate: {percent(offenders / result.population.accounts)} of accounts are
            active offenders.
          </caption>
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">Accounts flagged</th>
              <th scope="col">Offenders (per 10,000 accounts)</th>
              <th scope="col">Innocent accounts (per 10,000 accounts)</th>
              <th scope="col">Precision</th>
              <th scope="col">Innocent messages the platform can read</th>
            </tr>
          </thead>
          <tbody>
            {computed.map((m) => (
              <tr key={m.id} data-testid={`cost-${m.id}`}>
                <th scope="row">{methodName(m.id, m.title)}</th>
                <td>{count(m.score.flagged)}</td>
                <td>
                  {count(m.score.truePositives)} ({per10k(m.score.truePositivesPer10k)})
                </td>
                <td data-testid="false-positives">
                  {count(m.score.falsePositives)} ({per10k(m.score.falsePositivesPer10k)})
                </td>
                <td>{percent(m.score.precision, 'nothing flagged')}</td>
                <td>
                  {count(m.privacy.innocentMessagesReadable)} ({shareOf(m.privacy.innocentMessagesReadable, m.privacy.shareOfInnocentMessages)})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="scenario-privacy">
        {computed.map((m) => (
          <div key={m.id}>
            <dt>{methodName(m.id, m.title)}</dt>
            <dd>
              <strong>What is read:</strong> {m.privacy.whatIsRead}
            </dd>
            <dd>
              <strong>Who else could read:</strong> {m.privacy.capabilityLeftBehind}
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/** What each method hands to human reviewers, per 10,000 users a day, and the run scaled to a UK-sized service (a multiplication, as its note says). */
export function WorkloadTable({ result }: { result: ScenarioResult }) {
  const uk = result.ukScaled;
  return (
    <>
      <div className="scenario-table-wrap">
        <table className="scenario-table" data-testid="workload-table">
          <caption>
            Reviewers’ work, and the same run scaled to a service of {count(uk.users)} accounts over {uk.days} days
          </caption>
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">Accounts to review, per 10,000 users a day</th>
              <th scope="col">Messages or images to review, per 10,000 users a day</th>
              <th scope="col">Scaled: offenders referred</th>
              <th scope="col">Scaled: innocent accounts flagged</th>
              <th scope="col">Scaled: accounts to review a day</th>
            </tr>
          </thead>
          <tbody>
            {result.reviewerWorkload.map((w) => {
              const scaled = uk.rows.find((r) => r.method === w.method);
              return (
                <tr key={w.method} data-testid={`workload-${w.method}`}>
                  <th scope="row">{methodName(w.method, w.title)}</th>
                  <td>{per10k(w.accountsPer10kUsersPerDay)}</td>
                  <td>{w.messagesPer10kUsersPerDay === null ? 'accounts only' : per10k(w.messagesPer10kUsersPerDay)}</td>
                  <td>{scaled ? count(scaled.truePositives) : '–'}</td>
                  <td>{scaled ? count(scaled.falsePositives) : '–'}</td>
                  <td>{scaled ? count(scaled.accountsToReviewPerDay) : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted">{uk.note}</p>
    </>
  );
}
