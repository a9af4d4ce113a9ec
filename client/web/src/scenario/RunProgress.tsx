/**
 * A run's progress: a bar (role=progressbar, the day as its value) that moves once per simulated
 * day, Cancel while it runs, and one polite live line that a screen reader hears at the start, at
 * each quarter and at the end, rather than once a day.
 */
import { ProgressRow } from './ProgressRow.js';
import type { RunState } from './run-model.js';

function liveLine(state: RunState): string {
  switch (state.kind) {
    case 'idle':
      return '';
    case 'running': {
      const quarter = Math.floor((4 * state.day) / state.days);
      return quarter === 0 ? `Running: ${state.days} simulated days.` : `Running: ${quarter * 25}% done.`;
    }
    case 'done':
      return `Done in ${state.seconds} seconds: ${state.result.traffic.envelopes.toLocaleString('en-GB')} envelopes. The figures are below.`;
    case 'cancelled':
      return `Cancelled after day ${state.day} of ${state.days}. Nothing was kept.`;
    case 'failed':
      return state.message;
  }
}

export function RunProgress({ state, onCancel }: { state: RunState; onCancel: () => void }) {
  const line = liveLine(state);
  return (
    <div className="scenario-progress">
      {state.kind === 'idle' && <p className="muted">Not run yet. Set the parameters above and press “Run the scenario”.</p>}
      {state.kind === 'running' && (
        <ProgressRow
          label="Simulated days done"
          noun="Day"
          done={state.day}
          total={state.days}
          onCancel={onCancel}
          barTestId="scenario-progress"
          cancelTestId="scenario-cancel"
        />
      )}
      <p className={state.kind === 'failed' ? 'warning' : 'scenario-status'} aria-live="polite" data-testid="scenario-status">
        {line}
      </p>
    </div>
  );
}
