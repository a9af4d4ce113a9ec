/**
 * All the agency page shows without a valid agency token: what it is, and
 * where to find the link. Accepts the bare token or the whole link as printed.
 */
import { useState } from 'react';
import { TokenForm } from '../ui/TokenForm.js';
import { tokenFromInput } from '../operator/token.js';

export interface AgencyTokenRequestProps {
  /** The server refused the token the page had. */
  readonly refused: boolean;
  readonly onSubmit: (token: string) => void;
}

export function AgencyTokenRequest({ refused, onSubmit }: AgencyTokenRequestProps) {
  const [malformed, setMalformed] = useState(false);
  const submit = (text: string) => {
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
        <TokenForm label="Agency link or token" submitLabel="Open the console" problem={problem} testId="agency-token" onSubmit={submit} />
      </div>
    </main>
  );
}
