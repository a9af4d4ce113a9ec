/**
 * "Send as a rogue app" (key escrow only): the search by trial for an access
 * field that opens to nothing, timed live, then the message sent with it; at
 * 64 bits why trial fails; and the other escape, encryption inside the
 * message. The model is rogue-dialog.ts; the words for figures escrow-view.ts.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Dialog } from '../ui/Dialog.js';
import { SOURCES } from '../ui/sources.js';
import { durationWords, expectedTries, searchFigures } from './escrow-view.js';
import type { RogueDemo, RogueDialogState } from './rogue-dialog.js';
import './escrow.css';

export interface RogueDialogProps {
  readonly me: string;
  readonly dialog: RogueDialogState;
  readonly demo: RogueDemo;
}

export function RogueDialog({ me, dialog, demo }: RogueDialogProps) {
  const inputId = useId();
  const { to, checkBits, phase, progress } = dialog;
  const searching = phase === 'searching';
  const expected = expectedTries(checkBits);
  const ended = phase !== 'ready' && phase !== 'searching';
  return (
    <Dialog title="Send as a rogue app" size="wide" onClose={() => demo.close()} testId="rogue-dialog">
      <p className="rogue-intro">
        A <strong>rogue app</strong> sends {to} a message whose access field holds nothing: the escrow will open it to nothing. It must
        still pass the {checkBits}-bit check in {to}’s ordinary app, so it searches by trial: random bytes, ask the check, try again. On
        average that takes {checkBits === 16 ? '65,536' : '2^64 (about 18 billion billion)'} tries.
      </p>
      <form
        className="rogue-form"
        onSubmit={(event) => {
          event.preventDefault();
          void demo.start();
        }}
      >
        <label htmlFor={inputId}>Message to {to}</label>
        <input id={inputId} data-testid="rogue-text" value={dialog.text} onChange={(event) => demo.setText(event.target.value)} maxLength={1000} disabled={searching} />
        <button type="submit" data-testid="rogue-start" disabled={searching || dialog.text.trim() === ''}>
          {checkBits === 16 ? 'Search and send' : 'Search for 4 seconds'}
        </button>
        {searching && (
          // Focus moves here as the search starts (the start button it was on is disabled), and on to the outcome after.
          <button type="button" className="secondary" data-testid="rogue-cancel" onClick={() => demo.cancel()} autoFocus>
            Cancel
          </button>
        )}
      </form>

      {progress && (
        <p className="rogue-figures mono" data-testid="rogue-figures" data-tries={progress.tries}>
          {searchFigures(progress)}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {statusWords(dialog)}
      </p>

      {phase === 'sent' && progress && (
        <Outcome className="rogue-outcome ok" testId="rogue-sent">
          <p>
            <strong>
              Found after {progress.tries.toLocaleString('en')} tries in {(progress.elapsedMs / 1000).toFixed(1)} s, and sent.
            </strong>{' '}
            {to}’s app checked the field, accepted it, and shows the message, tagged like any escrowed message: it cannot tell. The rate,{' '}
            {progress.triesPerSecond.toLocaleString('en')} tries a second, was measured just now on this computer.
          </p>
          <p>
            The agency gets nothing: when it opens {me}’s messages with two shares, this one is listed as “the access field opens to nothing”. See
            it on the{' '}
            <a href="/agency" target="_blank" rel="noreferrer">
              agency page
            </a>
            .
          </p>
        </Outcome>
      )}
      {phase === 'out-of-reach' && progress && (
        <Outcome className="rogue-outcome stop" testId="rogue-out-of-reach">
          <p>
            <strong>
              {(progress.elapsedMs / 1000).toFixed(0)} seconds, {progress.tries.toLocaleString('en')} tries: none passed. Nothing was sent.
            </strong>
          </p>
          <p>
            At {progress.triesPerSecond.toLocaleString('en')} tries a second (measured just now), 2^64 tries take{' '}
            <strong data-testid="rogue-years">{durationWords(expected, progress.triesPerSecond)}</strong>. Trial fails at 64 bits.
          </p>
        </Outcome>
      )}
      {phase === 'cancelled' && (
        <Outcome className="muted rogue-cancelled" testId="rogue-cancelled">
          <p>Cancelled. Nothing was sent.</p>
        </Outcome>
      )}
      {dialog.error && (
        <p className="warning" role="alert">
          {dialog.error}
        </p>
      )}

      {ended && <InsideEscape dialog={dialog} demo={demo} />}

      <details className="explain rogue-note" open>
        <summary>Why search by trial? (the honest note)</summary>
        <div className="explain-body">
          <p>
            Clipper’s check ran inside a sealed chip, so Matt Blaze (1994) had to search by trial, asking the chip each time. In an app the
            check’s key ships inside every copy, so a rogue app could compute a passing field directly. This demo searches anyway, to show that 16
            bits falls to trial.
          </p>
          <p className="explain-source">
            Sources: {SOURCES.blaze1994.label}; {SOURCES.nistEesFactSheet.label}.
          </p>
        </div>
      </details>
    </Dialog>
  );
}

/** How the search ended: it takes focus when it appears (the button that had it is gone or disabled), so the keyboard lands on it. */
function Outcome({ className, testId, children }: { readonly className: string; readonly testId: string; readonly children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} className={className} data-testid={testId} tabIndex={-1}>
      {children}
    </div>
  );
}

/** The other escape: comply, but encrypt the text itself. */
function InsideEscape({ dialog, demo }: { readonly dialog: RogueDialogState; readonly demo: RogueDemo }) {
  const { inside, to } = dialog;
  return (
    <section className="rogue-inside" aria-label="The other escape" data-testid="rogue-inside">
      <h3>The other escape: encrypt inside the message</h3>
      <p>
        A rogue app can also comply: a real access field the escrow opens, but the text in it is itself encrypted, with a key the two people
        agreed in person (here a fixed demo key). The escrow opens the message and finds only that scramble. <strong>Escrow binds only apps that
        comply.</strong>
      </p>
      {inside.phase === 'sent' && inside.sentText !== null ? (
        <p data-testid="rogue-inside-sent">
          Sent. {to}’s ordinary app shows, and the escrow finds: <span className="mono small">{shorten(inside.sentText)}</span>. {to}’s rogue app
          would open it with the shared key.
        </p>
      ) : (
        <button type="button" className="secondary" data-testid="rogue-inside-send" disabled={inside.phase === 'sending'} onClick={() => void demo.sendInside()}>
          Send “{shorten(dialog.text, 30)}” encrypted inside
        </button>
      )}
      {inside.error && (
        <p className="warning" role="alert">
          {inside.error}
        </p>
      )}
    </section>
  );
}

function shorten(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** What a screen reader hears: once at each change of phase, not at every slice. */
function statusWords(dialog: RogueDialogState): string {
  switch (dialog.phase) {
    case 'ready':
      return '';
    case 'searching':
      return 'Searching by trial…';
    case 'sent':
      return `Found after ${dialog.progress?.tries.toLocaleString('en') ?? 'some'} tries, and sent.`;
    case 'out-of-reach':
      return 'No passing field found; nothing was sent. Trial fails at 64 bits.';
    case 'cancelled':
      return 'Cancelled. Nothing was sent.';
    case 'failed':
      return 'Not sent.';
  }
}
