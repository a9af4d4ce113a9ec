/** "Remove": asked in the app's own dialog (readable on a projector, works by keyboard), not the browser's confirm(). */
import { Dialog } from '../ui/Dialog.js';

export interface RemovePersonaDialogProps {
  readonly label: string;
  /** Joined: they have keys and messages here that will be lost. */
  readonly joined: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

export function RemovePersonaDialog({ label, joined, onConfirm, onCancel }: RemovePersonaDialogProps) {
  return (
    <Dialog title={`Remove ${label} from this browser?`} onClose={onCancel} testId="remove-dialog">
      {joined ? (
        <p>
          {label}’s keys and messages are deleted from this browser, and cannot be brought back. Their name stays taken on the server, so to come
          back they join under a new name.
        </p>
      ) : (
        <p>This pane closes. Nothing has been saved for it yet.</p>
      )}
      <div className="row dialog-actions">
        <button type="button" className="danger" data-testid="remove-confirm" onClick={onConfirm}>
          Remove
        </button>
        <button type="button" className="secondary" data-testid="remove-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
