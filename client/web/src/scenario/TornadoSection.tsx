/**
 * The tornado: which assumptions move the headline most. computeTornado runs the scenario again
 * with each candidate default set low and high (at a stated smaller size), in a worker of its
 * own; the result joins result.json, the charts and the briefing. A few minutes in a browser, so
 * it is asked for, shown with its progress, and can be cancelled.
 */
import { TORNADO_FIGURE, tornadoPlan, tornadoSize, type ScenarioParameters, type ScenarioResult } from '@envelope/scenario';
import { count, percent } from './format.js';
import { parameterLabel, type ParameterKey } from './parameter-form.js';
import { ProgressRow } from './ProgressRow.js';
import type { TornadoState } from './run-model.js';

interface Props {
  readonly result: ScenarioResult;
  readonly state: TornadoState;
  readonly onStart: () => void;
  readonly onCancel: () => void;
}

/** A difference of two shares, in percentage points: 0.18 is "18 points", not 18%. */
const points = (difference: number | null): string => (difference === null ? '–' : `${Math.round(difference * 1000) / 10} points`);

function mainOverrides(result: ScenarioResult): Partial<ScenarioParameters> {
  return Object.fromEntries(Object.entries(result.parameters).map(([k, v]) => [k, v.value])) as Partial<ScenarioParameters>;
}

export function TornadoSection({ result, state, onStart, onCancel }: Props) {
  const main = mainOverrides(result);
  const size = tornadoSize(main);
  const runs = tornadoPlan(main).length;
  const tornado = result.tornado;
  return (
    <div className="scenario-tornado" data-testid="tornado">
      <p>
        The figure: {TORNADO_FIGURE} Each of a dozen assumptions is set to a low and a high value, one at a time, and the scenario is run again: {runs}{' '}
        runs at {count(size.users)} accounts × {size.days} days, the same seed, this run’s other settings. The five that move the figure most are the
        tornado.
      </p>
      {state.kind === 'running' ? (
        <ProgressRow label="Tornado runs done" noun="Run" done={state.done} total={state.total || runs} onCancel={onCancel} cancelTestId="tornado-cancel" />
      ) : (
        !tornado && (
          <button type="button" className="secondary" onClick={onStart} data-testid="tornado-run">
            Find what moves the headline most ({runs} more runs; minutes, not seconds)
          </button>
        )
      )}
      <p className="scenario-status" aria-live="polite" data-testid="tornado-status">
        {state.kind === 'cancelled' && `Cancelled after ${state.done} of ${state.total} runs. Nothing was kept.`}
        {state.kind === 'failed' && state.message}
        {state.kind === 'done' && 'Done: the tornado is below, in result.json and in the briefing.'}
      </p>
      {tornado && (
        <div className="scenario-table-wrap">
          <table className="scenario-table" data-testid="tornado-table">
            <caption>
              At {count(tornado.users)} × {tornado.days} days the figure is {percent(tornado.base)}; at the next seed {percent(tornado.noiseFloor.figure)}, so
              swings under {points(tornado.noiseFloor.difference)} are the draw, not the assumption.
            </caption>
            <thead>
              <tr>
                <th scope="col">Assumption (its value in this run)</th>
                <th scope="col">Low → figure</th>
                <th scope="col">High → figure</th>
                <th scope="col">Swing (high against low)</th>
                <th scope="col">Why this range</th>
              </tr>
            </thead>
            <tbody>
              {[...tornado.bars, ...tornado.others].map((bar, i) => (
                <tr key={bar.parameter} className={i < tornado.bars.length ? 'scenario-tornado-kept' : undefined}>
                  <th scope="row">
                    {parameterLabel(bar.parameter as ParameterKey)} ({bar.defaultValue})
                  </th>
                  <td>
                    {bar.low} → {percent(bar.figureAtLow)}
                  </td>
                  <td>
                    {bar.high} → {percent(bar.figureAtHigh)}
                  </td>
                  <td className="scenario-big">{points(bar.swing)}</td>
                  <td>
                    {bar.range === 'sourced' ? 'Sourced' : 'Assumed'}: {bar.why}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
