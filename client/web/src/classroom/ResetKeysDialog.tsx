/** "Reset keys": what reinstalling the app does, so the room can watch a safety number change. */
import { Dialog } from '../ui/Dialog.js';
import type { PersonaDialog } from './persona-dialogs.js';
import type { PersonaModel } from './persona-model.js';

export function ResetKeysDialog({ me, dialog, model }: { readonly me: string; readonly dialog: Extract<PersonaDialog, { kind: 'reset' }>; readonly model: PersonaModel }) {
  return (
    <Dialog title={`Reset ${me}’s keys?`} onClose={() => model.dialogs.close()} testId="reset-dialog">
      <p>
        This does what reinstalling the app does: {me} gets a brand-new identity key. The next time {me} and a contact write to each other (either of
        them first), the contact sees a warning that {me}’s safety number changed, and must accept the new key before reading {me}’s messages.
      </p>
      <p>
        Messages sent to {me}’s old key cannot be read any more. {me}’s device tells the sender which ones, so they can send them again.
      </p>
      {dialog.error && (
        <p className="warning" role="alert">
          {dialog.error}
        </p>
      )}
      <div className="row dialog-actions">
        <button type="button" className="danger" data-testid="reset-confirm" disabled={dialog.busy} onClick={() => void model.dialogs.confirmReset()}>
          {dialog.busy ? 'Making new keys…' : 'Reset keys'}
        </button>
        <button type="button" className="secondary" onClick={() => model.dialogs.close()}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
