/**
 * A long piece of work in progress: a bar (role=progressbar, "NOUN done of total" as its value)
 * and its Cancel button. The scenario's run counts days, the tornado counts runs.
 */
interface Props {
  /** The bar's accessible name, e.g. "Simulated days done". */
  readonly label: string;
  /** What is counted, for the visible text and the value text: "Day", "Run". */
  readonly noun: string;
  readonly done: number;
  readonly total: number;
  readonly onCancel: () => void;
  readonly barTestId?: string;
  readonly cancelTestId: string;
}

export function ProgressRow({ label, noun, done, total, onCancel, barTestId, cancelTestId }: Props) {
  const text = `${noun} ${done} of ${total}`;
  return (
    <div className="scenario-progress-row">
      <div
        className="scenario-bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={text}
        data-testid={barTestId}
      >
        <div className="scenario-bar-fill" style={{ width: `${(100 * done) / total}%` }} />
      </div>
      <span className="scenario-progress-text">{text}</span>
      <button type="button" className="danger" onClick={onCancel} data-testid={cancelTestId}>
        Cancel
      </button>
    </div>
  );
}
