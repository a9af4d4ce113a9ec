/**
 * The form a page that needs a token shows (the operator's, the agency's): one
 * password field that takes the bare token or the whole link as printed, a
 * submit button, and the problem with the last try, announced as an alert.
 */
import { useId, useState, type FormEvent } from 'react';

export interface TokenFormProps {
  /** The field's label, e.g. "Operator link or token". */
  readonly label: string;
  readonly submitLabel: string;
  /** Why the last try failed, in plain words; null when it did not. */
  readonly problem: string | null;
  /** A check is running: the button waits. */
  readonly checking?: boolean;
  /** The data-testid prefix: `${testId}-input` and `${testId}-problem`. */
  readonly testId: string;
  readonly onSubmit: (text: string) => void;
}

export function TokenForm({ label, submitLabel, problem, checking = false, testId, onSubmit }: TokenFormProps) {
  const [text, setText] = useState('');
  const inputId = useId();
  const problemId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(text);
  };
  return (
    <>
      <form onSubmit={submit} className="operator-token-form">
        <label htmlFor={inputId}>{label}</label>
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
            data-testid={`${testId}-input`}
          />
          <button type="submit" disabled={checking || text.trim() === ''}>
            {checking ? 'Checking…' : submitLabel}
          </button>
        </div>
      </form>
      {problem && (
        <p id={problemId} className="warning" role="alert" data-testid={`${testId}-problem`}>
          {problem}
        </p>
      )}
    </>
  );
}
