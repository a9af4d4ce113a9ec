/**
 * One metadata detector as a card: its pattern in one sentence, the accounts
 * it flags (score as a bar with words, the finding, the envelopes behind it on
 * request), what it cannot know (always shown), what sealed sender hid from
 * it, what it does with delivery receipts, and its parameters with their reasons (folded: for the curious).
 */
import { useState } from 'react';
import { plural } from '../format.js';
import type { DetectorReportWire, FlaggedAccountWire } from './schemas.js';
import { percent, scoreWords } from './signals-text.js';

export interface DetectorCardProps {
  readonly detector: DetectorReportWire;
  /** When the server received an envelope, if the page still shows it (null otherwise). */
  readonly timeOf: (seq: number) => string | null;
  readonly onSelectPerson: (username: string) => void;
}

export function DetectorCard({ detector, timeOf, onSelectPerson }: DetectorCardProps) {
  const hidden = detector.flaggedTotal - detector.flagged.length;
  const unitWord = detector.unit === 'report' ? 'report' : 'envelope';
  return (
    <article className="signals-card" data-testid="signals-detector" data-detector={detector.id} aria-labelledby={`signals-${detector.id}-title`}>
      <h3 id={`signals-${detector.id}-title`}>{detector.title}</h3>
      <p className="signals-pattern">{detector.pattern}</p>

      {detector.flagged.length === 0 ? (
        <p className="operator-muted" data-testid="signals-none">
          Nobody matches this pattern right now ({plural(detector.observed, unitWord)} looked at).
        </p>
      ) : (
        <ul className="signals-flagged">
          {detector.flagged.map((flagged) => (
            <FlaggedRow key={flagged.account} flagged={flagged} timeOf={timeOf} onSelectPerson={onSelectPerson} />
          ))}
        </ul>
      )}
      {hidden > 0 && <p className="operator-muted">…and {plural(hidden, 'more account')} with lower scores.</p>}

      {detector.unattributable > 0 && (
        <p className="signals-sealed" data-testid="signals-sealed">
          Sealed sender hid who sent {plural(detector.unattributable, detector.unit === 'report' ? 'reported message' : 'envelope')}, so this check could not
          use {detector.unattributable === 1 ? 'it' : 'them'}.
        </p>
      )}
      <div className="signals-cannot-know">
        <strong>What it cannot know:</strong> {detector.whatCannotBeKnown}
      </div>
      <p className="signals-receipts" data-testid="signals-receipts">
        <strong>Delivery receipts:</strong> {detector.receiptsNote}
        {detector.receipts > 0 && ` (${plural(detector.receipts, 'receipt')} left out so far.)`}
      </p>

      {detector.parameters.length > 0 && (
        <details className="signals-parameters">
          <summary>Settings, and why</summary>
          <dl>
            {detector.parameters.map((parameter) => (
              <div key={parameter.name}>
                <dt>
                  <code>{parameter.name}</code> = {parameter.value.toLocaleString()}
                </dt>
                <dd>{parameter.reason}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </article>
  );
}

function FlaggedRow({ flagged, timeOf, onSelectPerson }: { flagged: FlaggedAccountWire } & Omit<DetectorCardProps, 'detector'>) {
  const [open, setOpen] = useState(false);
  return (
    <li className="signals-flagged-row" data-testid="signals-flagged" data-username={flagged.account}>
      <div className="signals-flagged-head">
        <button
          type="button"
          className="operator-link-button signals-account"
          onClick={() => onSelectPerson(flagged.account)}
          title="Open this person’s timeline"
        >
          {flagged.account}
        </button>
        <span className="signals-score" aria-label={`score ${percent(flagged.score)}, ${scoreWords(flagged.score)}`}>
          <span className="signals-bar" aria-hidden="true">
            <span style={{ width: percent(flagged.score) }} />
          </span>
          {percent(flagged.score)} · {scoreWords(flagged.score)}
        </span>
      </div>
      <p className="signals-summary">{flagged.summary}</p>
      {flagged.evidence.length > 0 && (
        <button type="button" className="secondary signals-evidence-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide evidence' : `Show evidence (${plural(flagged.evidence.length, 'envelope')})`}
        </button>
      )}
      {open && (
        <ol className="signals-evidence" data-testid="signals-evidence">
          {flagged.evidence.map((evidence) => (
            <li key={evidence.seq}>
              <span className="signals-evidence-when">{timeOf(evidence.seq) ?? `envelope #${evidence.seq}`}</span>{' '}
              <span className="operator-muted">#{evidence.seq}</span> <code>{evidence.messageId}</code>
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}
