/**
 * One persona's pane: the join form until they have a name, then their chat.
 * Renders the PersonaModel's snapshot and calls its actions; nothing else.
 */
import { useRef } from 'react';
import { useObservable } from '../ui/observable.js';
import { ChatView } from './ChatView.js';
import { JoinForm } from './JoinForm.js';
import type { PersonaModel } from './persona-model.js';
import { RemovePersonaDialog } from './RemovePersonaDialog.js';
import { ReportDialog } from './ReportDialog.js';
import { ResetKeysDialog } from './ResetKeysDialog.js';
import { RogueDialog } from './RogueDialog.js';
import { SafetyNumberDialog } from './SafetyNumberDialog.js';
import { STATUS_WORDS } from './format.js';
import { XrayDialog } from './XrayDialog.js';

export interface PersonaPaneProps {
  readonly model: PersonaModel;
  readonly onRemove: () => void;
  /** Other panes exist. A joined (or broken) pane can always go; removing the last one leaves a fresh join form. */
  readonly canRemove: boolean;
}

export function PersonaPane({ model, onRemove, canRemove }: PersonaPaneProps) {
  const s = useObservable(model.state);
  const joined = s.phase === 'ready';
  const label = s.username ?? 'New participant';
  const joining = s.phase === 'join' || s.phase === 'joining';
  // Removing deletes the keys: not from under the tab that is using them.
  const inAnotherTab = s.phase === 'elsewhere' || s.phase === 'taken-over';
  // Joined from this pane's form just now (not restored on load): the chat takes the focus, so a
  // keyboard or screen-reader user lands on its first control instead of on the page's start.
  const joinedHere = useRef(false);
  if (s.phase === 'joining') joinedHere.current = true;

  return (
    <section className="persona-pane panel" data-testid="persona-pane" data-username={s.username ?? ''} data-phase={s.phase} aria-label={label}>
      <header className="persona-header">
        <h2 data-testid="persona-name">{joined ? s.username : joining ? 'Pick a name to join' : label}</h2>
        {joined && (
          <span className={`status status-${s.status}`} data-testid="connection-status" data-status={s.status}>
            {STATUS_WORDS[s.status]}
          </span>
        )}
        <span className="spacer" />
        {joined && (
          <label
            className="sealed-toggle"
            title="Sealed sender: your name travels inside the encryption, so the server cannot see who sent the message. Only to people who have written to you: a first message to someone new still shows your name."
          >
            <input
              type="checkbox"
              checked={s.sealedSender}
              onChange={(event) => void model.setSealedSender(event.target.checked)}
              data-testid="sealed-sender-toggle"
              aria-describedby={s.sealedSender ? `sealed-limit-${s.username}` : undefined}
            />{' '}
            Hide my name from the server
            {s.sealedSender && (
              <span className="sealed-limit" id={`sealed-limit-${s.username}`} data-testid="sealed-sender-limit">
                {' '}
                (to people who have written to you)
              </span>
            )}
          </label>
        )}
        {joined && (
          <button type="button" className="secondary small" data-testid="reset-keys" onClick={() => model.dialogs.requestReset()}>
            Reset keys
          </button>
        )}
        {(canRemove || joined || s.phase === 'failed') && !inAnotherTab && s.phase !== 'gone' && (
          <button
            type="button"
            className="secondary small"
            data-testid="remove-persona"
            onClick={() => model.dialogs.requestRemove()}
          >
            Remove
          </button>
        )}
      </header>

      {s.notice && (
        <p className="notice" role="status" data-testid="persona-notice">
          {s.notice}{' '}
          <button type="button" className="link" onClick={() => model.dismissNotice()}>
            Dismiss
          </button>
        </p>
      )}

      {s.phase === 'loading' && <p className="muted">Loading the encryption code…</p>}
      {s.phase === 'gone' && (
        <div className="elsewhere" role="status" data-testid="persona-gone">
          <p>
            <strong>{s.joinError}</strong>
          </p>
          <p>Joining again makes new keys and a new account; this browser forgets the old ones and their messages.</p>
          <button type="button" data-testid="join-again" onClick={onRemove}>
            Join again
          </button>
        </div>
      )}
      {s.phase === 'failed' && (
        <p className="warning" role="alert">
          {s.joinError}
        </p>
      )}
      {inAnotherTab && (
        <div className="elsewhere" role="status" data-testid="persona-elsewhere" data-reason={s.phase}>
          <p>
            <strong>{s.phase === 'elsewhere' ? 'This person is open in another tab.' : 'This person is now open in another tab.'}</strong>
          </p>
          <p>
            {s.phase === 'elsewhere'
              ? 'A person’s keys work in one tab at a time: two tabs could encrypt two messages with the same key, and then the two could be read against each other.'
              : 'Another tab took over, so this tab stopped sending and receiving for them. Nothing is lost: the other tab has every message.'}
          </p>
          <button type="button" data-testid="use-here" onClick={() => void model.takeOver()}>
            Use it here instead
          </button>
        </div>
      )}
      {(s.phase === 'join' || s.phase === 'joining') && (
        <JoinForm busy={s.phase === 'joining'} error={s.joinError} onJoin={(name) => void model.join(name)} />
      )}
      {joined && <ChatView snapshot={s} model={model} focusOnShow={joinedHere.current} />}

      {s.dialog?.kind === 'safety' && <SafetyNumberDialog me={s.username ?? ''} dialog={s.dialog} contact={s.contacts.find((c) => s.dialog?.kind === 'safety' && c.username === s.dialog.contact)} model={model} />}
      {s.dialog?.kind === 'xray' && <XrayDialog me={s.username ?? ''} dialog={s.dialog} forged={s.forgedSent.includes(s.dialog.messageId)} onClose={() => model.dialogs.close()} />}
      {s.dialog?.kind === 'remove' && (
        <RemovePersonaDialog
          label={label}
          joined={joined || s.phase === 'failed'}
          onCancel={() => model.dialogs.close()}
          onConfirm={() => {
            model.dialogs.close();
            onRemove();
          }}
        />
      )}
      {s.dialog?.kind === 'reset' && <ResetKeysDialog me={s.username ?? ''} dialog={s.dialog} model={model} />}
      {s.dialog?.kind === 'report' && <ReportDialog dialog={s.dialog} model={model} />}
      {s.dialog?.kind === 'rogue' && <RogueDialog me={s.username ?? ''} dialog={s.dialog} demo={model.rogue} />}
    </section>
  );
}
