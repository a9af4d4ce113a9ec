/**
 * "What a thief gets" (docs/lawful-access.md, the breach): one button reads
 * the server's data directory as a thief with a copy would (GET
 * /api/operator/breach: its own read-only connection to the SQLite file),
 * then the counts and a short sample. In e2ee it shows that a thief reads no
 * text. Asked only when the operator presses the button, then on Refresh.
 */
import { useState } from 'react';
import type { BreachExport } from '@envelope/protocol';
import { Explain } from '../../ui/Explain.js';
import { clockTime } from '../format.js';
import { useSection, type SectionSpec } from '../queries.js';
import { breachLines } from './breach-text.js';

/** Sample rows shown on a projector (the server sends up to MAX_BREACH_SAMPLE). */
const SAMPLE_SHOWN = 5;

export const BREACH: SectionSpec<BreachExport> = {
  key: ['breach'],
  load: (api) => api.breach(),
  loads: { what: 'what a thief gets', missing: 'This server does not offer the breach demonstration.' },
};

export function BreachSection() {
  const [asked, setAsked] = useState(false);
  const breach = useSection(BREACH, asked);
  const data = breach.data;
  const lines = data ? breachLines(data) : null;
  return (
    <section className="panel operator-section operator-breach-section" aria-labelledby="operator-breach-title" data-testid="breach-section">
      <h2 id="operator-breach-title">What a thief gets</h2>
      <Explain title="What is this?">
        <p>
          Someone breaks in and copies the server’s data directory. This reads that copy the way the thief would: the database file and the key
          files beside it, with no help from the running server. Everything the server can read, the thief can read.
        </p>
      </Explain>
      <p className="row">
        {/* aria-disabled, not disabled, while loading: a disabled button would drop the keyboard focus on the page's body. */}
        <button
          type="button"
          className="danger"
          onClick={() => {
            if (breach.loading) return;
            if (asked) breach.refresh();
            else setAsked(true);
          }}
          aria-disabled={breach.loading}
          data-testid="breach-run"
        >
          {breach.loading ? 'Copying the data directory…' : asked ? 'Copy it again' : 'Copy the data directory as a thief would'}
        </button>
      </p>
      {breach.error && <p className="warning">{breach.error}</p>}
      {data && lines && (
        <div role="status" data-testid="breach-result">
          <p className="breach-headline" data-testid="breach-headline" data-messages={data.messages}>
            {lines.headline}
          </p>
          <ul className="breach-details" data-testid="breach-details">
            {lines.details.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {lines.escrowNote && <p className="operator-escrow-cost">{lines.escrowNote}</p>}
        </div>
      )}
      {data && data.sample.length > 0 && (
        <table className="operator-table breach-sample" data-testid="breach-sample">
          <caption>The newest messages the thief reads</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Text</th>
            </tr>
          </thead>
          <tbody>
            {data.sample.slice(0, SAMPLE_SHOWN).map((message) => (
              <tr key={message.seq}>
                <td>{clockTime(message.storedAt)}</td>
                <td>{message.sender ?? 'unknown'}</td>
                <td>{message.recipient}</td>
                <td className="breach-text">{message.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
