/**
 * All the page shows without a valid operator token: what it is, and where
 * to find the link. Accepts the bare token or the whole link as printed.
 */
import { TokenForm } from '../ui/TokenForm.js';
import type { AccessProblem } from './operator-model.js';

export interface TokenRequestProps {
  readonly problem: AccessProblem | null;
  readonly checking: boolean;
  readonly onSubmit: (text: string) => void;
}

const PROBLEMS: Record<AccessProblem, string> = {
  refused:
    'The server refused that token. Copy the operator link (or the operator token) again from the terminal where this server was started, and paste all of it.',
  'not-a-token': 'That does not look like an operator token or link. The link ends in “#token=” followed by letters and digits.',
  unreachable: 'The server did not answer, so the token could not be checked. Is the server still running? Try again in a moment.',
};

export function TokenRequest({ problem, checking, onSubmit }: TokenRequestProps) {
  return (
    <main className="operator-locked" data-testid="operator-token-request">
      <h1>What the server sees</h1>
      <div className="panel operator-locked-panel">
        <p className="operator-lead">
          This page shows everything the Envelope server holds about the people chatting. It is for the person who runs the server, so it needs
          the <strong>operator token</strong>.
        </p>
        <p>
          When the server started, it printed a line <code>operator page: http://…/operator#token=…</code> in its terminal. Open that link, or
          paste the link or the token here:
        </p>
        <TokenForm
          label="Operator link or token"
          submitLabel="Open the server’s view"
          problem={problem === null ? null : PROBLEMS[problem]}
          checking={checking}
          testId="operator-token"
          onSubmit={onSubmit}
        />
      </div>
    </main>
  );
}
