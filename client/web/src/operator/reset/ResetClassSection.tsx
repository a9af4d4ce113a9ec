/**
 * "Reset the class", at the end of the server's view: between two classes the
 * operator deletes everything the last one left. The confirmation asks the
 * server what it holds now and lists it by count, offers to save the envelope
 * log or a warrant answer first, and says what stays. After the reset the
 * stream's `class-reset` event reloads the page (operator-model.ts).
 */
import { useContext, useState } from 'react';
import type { ClassCounts } from '@envelope/protocol';
import { Dialog } from '../../ui/Dialog.js';
import { Explain } from '../../ui/Explain.js';
import { failureText } from '../failure-text.js';
import { OperatorApiContext } from '../queries.js';
import { forgetLessonProgress } from '../../lesson/progress-storage.js';
import { downloadWarrantAnswer } from '../warrant/warrant-download.js';
import { RESET_KEEPS, resetDeletes, resetMode } from './reset-text.js';
import './reset.css';

/** The link's address is freed once the browser has surely started the download (as warrant-download.ts). */
const REVOKE_AFTER_MS = 30_000;

function saveFile(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

type DialogState =
  | { readonly kind: 'closed' }
  | { readonly kind: 'counting' }
  | { readonly kind: 'confirm'; readonly counts: ClassCounts; readonly busy: string | null; readonly problem: string | null; readonly saved: readonly string[] };

export interface ResetClassSectionProps {
  /** The accounts the server's graph knows, for "save a warrant answer first". */
  readonly accounts: readonly string[];
}

export function ResetClassSection({ accounts }: ResetClassSectionProps) {
  const api = useContext(OperatorApiContext);
  if (!api) throw new Error('an operator section is shown outside an opened operator page');
  const [dialog, setDialog] = useState<DialogState>({ kind: 'closed' });
  const [result, setResult] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [person, setPerson] = useState('');
  const chosen = accounts.includes(person) ? person : (accounts[0] ?? '');

  const open = async () => {
    setProblem(null);
    setDialog({ kind: 'counting' });
    try {
      const counts = await api.classCounts();
      setDialog({ kind: 'confirm', counts, busy: null, problem: null, saved: [] });
    } catch (error) {
      setDialog({ kind: 'closed' });
      setProblem(failureText(error, { what: 'what the server holds' }));
    }
  };
  const step = async (busy: string, work: () => Promise<string | null>) => {
    if (dialog.kind !== 'confirm' || dialog.busy) return;
    const current = dialog;
    setDialog({ ...current, busy, problem: null });
    try {
      const saved = await work();
      setDialog((now) => (now.kind === 'confirm' ? { ...now, busy: null, saved: saved ? [...now.saved, saved] : now.saved } : now));
    } catch (error) {
      setDialog((now) => (now.kind === 'confirm' ? { ...now, busy: null, problem: failureText(error, { what: busy }) } : now));
    }
  };
  const reset = async () => {
    if (dialog.kind !== 'confirm' || dialog.busy) return;
    setDialog({ ...dialog, busy: 'resetting', problem: null });
    try {
      const answer = await api.resetClass();
      // The lesson's ticks in this tab belonged to the class just deleted.
      forgetLessonProgress();
      setDialog({ kind: 'closed' });
      setResult(
        `The class was reset at ${new Date(answer.at).toLocaleTimeString('en-GB')}: ${answer.deleted.accounts} accounts and ${answer.deleted.loggedEnvelopes} logged envelopes deleted, and the server is in end-to-end encryption.` +
          (answer.scrubbed ? '' : ' The database was busy, so copies of deleted pages stay in its write-ahead log until SQLite next rewrites it.'),
      );
    } catch (error) {
      setDialog((now) => (now.kind === 'confirm' ? { ...now, busy: null, problem: failureText(error, { what: 'the reset' }).replace('could not load', 'could not do') } : now));
    }
  };

  return (
    <section className="panel operator-section operator-reset-section" aria-labelledby="operator-reset-title" data-testid="reset-section">
      <h2 id="operator-reset-title">Reset the class</h2>
      <Explain title="What is this?" open={false}>
        <p>
          After a lesson, delete everything it left on the server: every account, message, log and report, and what the policy modes kept. The next
          class starts with an empty server in end-to-end encryption. You can save the envelope log or a warrant answer first.
        </p>
      </Explain>
      <p className="row">
        <button type="button" className="danger" onClick={() => void open()} aria-disabled={dialog.kind === 'counting'} data-testid="reset-open">
          {dialog.kind === 'counting' ? 'Counting what the server holds…' : 'Reset the class…'}
        </button>
      </p>
      {problem && <p className="warning">{problem}</p>}
      {result && (
        <p role="status" className="reset-result" data-testid="reset-result">
          {result}
        </p>
      )}
      {dialog.kind === 'confirm' && (
        <Dialog title="Reset the class: delete everything it left?" onClose={() => setDialog({ kind: 'closed' })} testId="reset-dialog">
          <p>This deletes, for good:</p>
          <ul data-testid="reset-deletes">
            {resetDeletes(dialog.counts).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p>{resetMode(dialog.counts)}</p>
          <p className="muted">{RESET_KEEPS}</p>
          <h3>Keep a copy first?</h3>
          <div className="row">
            <button
              type="button"
              className="secondary"
              aria-disabled={dialog.busy !== null}
              onClick={() =>
                void step('the envelope log', async () => {
                  const file = await api.envelopeLogFile();
                  saveFile(file.text, file.fileName);
                  return `Saved the envelope log (${file.fileName}).`;
                })
              }
              data-testid="reset-export-log"
            >
              Save the envelope log
            </button>
          </div>
          {accounts.length > 0 && (
            <div className="row reset-warrant">
              <label>
                Warrant answer for{' '}
                <select value={chosen} onChange={(event) => setPerson(event.target.value)} data-testid="reset-export-person">
                  {accounts.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="secondary"
                aria-disabled={dialog.busy !== null}
                onClick={() =>
                  void step(`${chosen}’s warrant answer`, async () => {
                    downloadWarrantAnswer(await api.warrant(chosen));
                    return `Saved ${chosen}’s warrant answer.`;
                  })
                }
                data-testid="reset-export-warrant"
              >
                Save it
              </button>
            </div>
          )}
          <div role="status" data-testid="reset-saved">
            {dialog.saved.map((line) => (
              <p key={line}>{line}</p>
            ))}
          </div>
          {dialog.problem && <p className="warning">{dialog.problem}</p>}
          <p className="row dialog-actions">
            <button type="button" className="danger" aria-disabled={dialog.busy !== null} onClick={() => void reset()} data-testid="reset-confirm">
              {dialog.busy === 'resetting' ? 'Deleting…' : 'Delete everything and reset the class'}
            </button>
            <button type="button" className="secondary" onClick={() => setDialog({ kind: 'closed' })}>
              Cancel
            </button>
          </p>
        </Dialog>
      )}
    </section>
  );
}
