/** The first thing a visitor sees in a pane: pick a name; the keys are made here, in the browser. */
import { useId, useState } from 'react';
import { JOIN_INPUT_MAX_CHARS, joinNameNote, nameAsJoined } from './join-name.js';

export interface JoinFormProps {
  readonly busy: boolean;
  readonly error: string | null;
  readonly onJoin: (name: string) => void;
}

export function JoinForm({ busy, error, onJoin }: JoinFormProps) {
  const [name, setName] = useState('');
  const inputId = useId();
  const noteId = useId();
  const note = joinNameNote(name);
  return (
    <form
      className="join-form"
      data-testid="join-form"
      onSubmit={(event) => {
        event.preventDefault();
        // The name the note below announced, so what is shown is what is used.
        onJoin(nameAsJoined(name));
      }}
    >
      <p className="muted">Your browser makes your keys now. The private keys never leave this device; the server only gets the public ones.</p>
      <div className="row">
        <label htmlFor={inputId} className="visually-hidden">
          Your name
        </label>
        <input
          id={inputId}
          data-testid="join-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="e.g. alice"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={JOIN_INPUT_MAX_CHARS}
          aria-describedby={noteId}
          disabled={busy}
          // A first-time visitor should be able to type at once.
          autoFocus
        />
        <button type="submit" data-testid="join-submit" disabled={busy}>
          {busy ? 'Making keys…' : 'Join'}
        </button>
      </div>
      {/* Always present, so screen readers announce the note politely as it changes. */}
      <p id={noteId} className="muted" aria-live="polite" data-testid="join-name-note">
        {note}
      </p>
      {error && (
        <p className="warning" role="alert" data-testid="join-error">
          {error}
        </p>
      )}
    </form>
  );
}
