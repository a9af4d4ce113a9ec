/**
 * How the operator page shows a message the server read: its text (quoted,
 * as the server holds it), where the sender's name came from, and the
 * content scanner's flags; and each envelope's mode as a short tag.
 */
import { DEFAULT_POLICY_MODE, isPolicyMode, POLICY_WORDS } from '@envelope/protocol';
import type { OperatorContentRow } from './schemas.js';
import './content.css';

/** "end-to-end" or "server reads": the envelope's mode, with the plain name on hover and for screen readers. */
export function ModeTag({ mode }: { readonly mode: string }) {
  const name = isPolicyMode(mode) ? POLICY_WORDS[mode].name : `unknown mode “${mode}”`;
  if (mode === DEFAULT_POLICY_MODE) {
    return (
      <span className="mode-tag mode-e2ee" title={name} data-testid="envelope-mode">
        end-to-end
      </span>
    );
  }
  return (
    <span className="mode-tag mode-readable" title={name} data-testid="envelope-mode">
      server reads it
    </span>
  );
}

export function ReadText({ row }: { readonly row: OperatorContentRow }) {
  return (
    <div className="read-text" data-testid="operator-read-text">
      {row.text !== null ? (
        <q className="read-text-quote">{row.text}</q>
      ) : (
        <span className="operator-muted">{row.kind === 'receipt' ? 'a delivery receipt (opened: no text)' : 'opened, but no text in it'}</span>
      )}
      {row.senderSource === 'certificate' && row.sender !== null && (
        <span className="read-text-sealed"> · sealed, but the server read the sender inside: {row.sender}</span>
      )}
      {row.matches.length > 0 && (
        <span className="read-text-flags" data-testid="operator-read-flags">
          {row.matches.map((match) => (
            <span key={match.ruleId} className="scanner-flag">
              ⚑ {match.label}
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
