/**
 * The prevalence slider: the run's recall and false-positive rate, and what precision (and
 * offenders and innocent accounts flagged per 10,000) they would give if offenders were more or
 * less common. A recomputation from the run's rates by the formula shown, not a new run.
 */
import { useState } from 'react';
import type { ScenarioResult } from '@envelope/scenario';
import { per10k, percent } from './format.js';
import { atPrevalence, describePrevalence, methodRates, positionOf, prevalenceAt, runRates, SLIDER_STEPS } from './prevalence.js';
import { scoreColumns } from './ResultTables.js';

export function PrevalenceSlider({ result }: { result: ScenarioResult }) {
  const run = runRates(result);
  const runPosition = positionOf(run.prevalence);
  const [position, setPosition] = useState<number | null>(null);
  // Until the slider moves, it stands at the run's own prevalence, exactly (not rounded to a slider step).
  const prevalence = position === null ? run.prevalence : prevalenceAt(position);
  const shown = describePrevalence(prevalence);
  const columns = scoreColumns(result);
  return (
    <div className="scenario-prevalence" data-testid="prevalence">
      <p>
        Precision depends on how common offenders are. This run had {run.offenders.toLocaleString('en-GB')} offenders among{' '}
        {(run.offenders + run.innocent).toLocaleString('en-GB')} accounts: <strong>{describePrevalence(run.prevalence)}</strong>. Move the slider to see
        the same methods, with the same recall and false-positive rate, at another prevalence.
      </p>
      <p className="scenario-formula">
        <strong>This is a recomputation, not a new run.</strong> Precision = (recall × prevalence) ÷ (recall × prevalence + false-positive rate × (1 −
        prevalence)). Offenders flagged per 10,000 accounts = 10,000 × recall × prevalence; innocent accounts flagged per 10,000 = 10,000 ×
        false-positive rate × (1 − prevalence). It assumes offenders and innocent people behave as in this run.
      </p>
      <div className="scenario-slider-row">
        <label htmlFor="scenario-prevalence">Prevalence of offenders</label>
        <input
          id="scenario-prevalence"
          type="range"
          min={0}
          max={SLIDER_STEPS}
          step={1}
          value={position ?? runPosition}
          aria-valuetext={shown}
          onChange={(e) => setPosition(Number(e.target.value))}
        />
        <output htmlFor="scenario-prevalence" data-testid="prevalence-value" data-prevalence={prevalence}>
          {shown}
        </output>
        <button type="button" className="secondary small" onClick={() => setPosition(null)} disabled={position === null}>
          Back to this run’s
        </button>
      </div>
      <div className="scenario-table-wrap">
        <table className="scenario-table" data-testid="prevalence-table">
          <caption>At a prevalence of {shown}{position === null ? ' (this run’s own)' : ' (recomputed)'}</caption>
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">Recall (this run)</th>
              <th scope="col">False-positive rate (this run)</th>
              <th scope="col">Precision</th>
              <th scope="col">Offenders flagged per 10,000</th>
              <th scope="col">Innocent accounts flagged per 10,000</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => {
              const rates = methodRates(c.score, run);
              const at = atPrevalence(rates, prevalence);
              return (
                <tr key={c.id} data-testid={`prevalence-${c.id}`} data-recall={rates.recall} data-fpr={rates.falsePositiveRate} data-precision={at.precision ?? ''}>
                  <th scope="row">{c.name}</th>
                  <td>{percent(rates.recall)}</td>
                  <td>{percent(rates.falsePositiveRate)}</td>
                  <td className="scenario-big">{percent(at.precision, 'nothing flagged')}</td>
                  <td>{per10k(at.truePositivesPer10k)}</td>
                  <td>{per10k(at.falsePositivesPer10k)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
