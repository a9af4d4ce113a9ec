/**
 * All the agency page shows without a valid agency token: what it is, and
 * where to find the link. Accepts the bare token or the whole link as printed.
 */
import { useId, useState, type FormEvent } from 'react';
import { tokenFromInput } from '../operator/token.js';

export interface AgencyTokenRequestProps {
  /** The server refused the token the page had. */
  readonly refused: boolean;
  readonly onSubmit: (token: string) => void;
}

export function AgencyTokenRequest({ refused, onSubmit }: AgencyTokenRequestProps) {
  const [text, setText] = useState('');
  const [malformed, setMalformed] = useState(false);
  const inputId = useId();
  const problemId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const token = tokenFromInput(text);
    setMalformed(token === null);
    if (token) onSubmit(token);
  };
  const problem = malformed
    ? 'That does not look like an agency token or link. The link ends in “#token=” followed by letters and digits.'
    : refused
      ? 'The server refused that token. Copy the agency link (not the operator link) again from the terminal where the server was started.'
      : null;
  return (
    <main className="operator-locked" data-testid="agency-token-request">
      <h1>Lawful-intercept console</h1>
      <div className="panel operator-locked-panel">
        <p className="operator-lead">
          This page is the agency’s: it reads people’s messages when the server can read them. It needs the <strong>agency token</strong>, which
          is not the operator’s.
        </p>
        <p>
          When the server started, it printed a line <code>agency page: http://…/agency#token=…</code> in its terminal. Open that link, or paste
          the link or the token here:
        </p>
        <form onSubmit={submit} className="operator-token-form">
          <label htmlFor={inputId}>Agency link or token</label>
          <div className="operator-token-row">
            <input
              id={inputId}
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={text}
              onChange={(event) => setText(event.target.value)}
              aria-invalid={problem !== null}
              aria-describedby={problem ? problemId : undefined}
              data-testid="agency-token-input"
            />
            <button type="submit" disabled={text.trim() === ''}>
              Open the console
            </button>
          </div>
        </form>
        {problem && (
          <p id={problemId} className="warning" role="alert" data-testid="agency-token-problem">
            {problem}
          </p>
        )}
      </div>
    </main>
  );
}
