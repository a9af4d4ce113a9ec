/**
 * The warrant request on the page: pick an account, ask, read the answer
 * (WarrantAnswerView), export it as a document. Presentational: it renders
 * the request's state and calls the actions it is given.
 */
import type { WarrantAnswer } from './schemas.js';
import { WarrantAnswerView } from './WarrantAnswerView.js';

export type WarrantRequest =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly username: string }
  | { readonly status: 'ready'; readonly username: string; readonly answer: WarrantAnswer }
  | { readonly status: 'failed'; readonly username: string; readonly message: string };

export interface WarrantViewProps {
  /** The account picked in the list (requested only when asked). */
  readonly selected: string | null;
  readonly request: WarrantRequest;
  readonly accounts: readonly string[];
  readonly onSelect: (username: string | null) => void;
  readonly onRequest: () => void;
  readonly onExport: () => void;
}

export function WarrantView({ selected, request, accounts, onSelect, onRequest, onExport }: WarrantViewProps) {
  return (
    <div className="warrant" data-testid="warrant">
      <form
        className="warrant-request"
        onSubmit={(event) => {
          event.preventDefault();
          onRequest();
        }}
      >
        <label htmlFor="warrant-account">Account named in the request</label>
        <select id="warrant-account" data-testid="warrant-account" value={selected ?? ''} onChange={(e) => onSelect(e.target.value || null)}>
          <option value="">Choose an account…</option>
          {accounts.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!selected || request.status === 'loading'}>
          Request everything the server holds
        </button>
        {request.status === 'ready' && (
          <button type="button" className="secondary" onClick={onExport} data-testid="warrant-export">
            Export as a document
          </button>
        )}
      </form>
      {request.status === 'idle' && accounts.length === 0 && <p className="operator-empty">No accounts yet: nobody has signed up.</p>}
      {request.status === 'loading' && <p className="operator-muted">Gathering everything the server holds about {request.username}…</p>}
      {request.status === 'failed' && <p className="warning">{request.message}</p>}
      {request.status === 'ready' && <WarrantAnswerView answer={request.answer} />}
    </div>
  );
}

