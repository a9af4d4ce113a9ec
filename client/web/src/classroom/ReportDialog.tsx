/**
 * "Report": says exactly what leaves the device before anything does — this
 * one message's text, who sent it and when — and asks why. The server checks
 * the report against the sender's commitment and its own stamp before filing it.
 */
import { REPORT_REASON_LABELS, REPORT_REASONS } from '@envelope/protocol';
import { Dialog } from '../ui/Dialog.js';
import type { PersonaDialog } from './persona-dialogs.js';
import type { PersonaModel } from './persona-model.js';

export function ReportDialog({ dialog, model }: { readonly dialog: Extract<PersonaDialog, { kind: 'report' }>; readonly model: PersonaModel }) {
  return (
    <Dialog title={`Report this message from ${dialog.sender}?`} onClose={() => model.dialogs.close()} testId="report-dialog">
      <blockquote className="report-quote" data-testid="report-quote">
        {dialog.text}
      </blockquote>
      <p>
        The server’s moderators will see <strong>this one message</strong>: its text, that {dialog.sender} sent it to you, and when. Nothing else
        of your conversation leaves this device.
      </p>
      <p className="muted">
        The server can check the report is true: every message carries a seal of its text that only you two could open, and the server stamped
        that seal when it passed the message on. A changed text or a different sender would not match.
      </p>
      <fieldset className="report-reasons">
        <legend>Why are you reporting it?</legend>
        {REPORT_REASONS.map((reason) => (
          <label key={reason} className="report-reason">
            <input
              type="radio"
              name={`report-reason-${dialog.messageId}`}
              value={reason}
              checked={dialog.reason === reason}
              onChange={() => model.dialogs.chooseReportReason(reason)}
              data-testid={`report-reason-${reason}`}
            />{' '}
            {REPORT_REASON_LABELS[reason]}
          </label>
        ))}
      </fieldset>
      {dialog.error && (
        <p className="warning" role="alert">
          {dialog.error}
        </p>
      )}
      <div className="row dialog-actions">
        <button
          type="button"
          className="danger"
          data-testid="report-confirm"
          disabled={dialog.busy || dialog.reason === null}
          onClick={() => void model.dialogs.confirmReport()}
        >
          {dialog.busy ? 'Sending the report…' : 'Report to the server'}
        </button>
        <button type="button" className="secondary" onClick={() => model.dialogs.close()}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
