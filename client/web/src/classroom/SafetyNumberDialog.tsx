/** The safety number with a contact: 60 digits in groups of five, as a QR code, and "Mark as verified". */
import { Dialog } from '../ui/Dialog.js';
import { Explain } from '../ui/Explain.js';
import { QrCode } from '../ui/QrCode.js';
import { safetyNumberGroups } from './format.js';
import type { PersonaDialog } from './persona-dialogs.js';
import type { ContactView, PersonaModel } from './persona-model.js';

export interface SafetyNumberDialogProps {
  readonly me: string;
  readonly dialog: Extract<PersonaDialog, { kind: 'safety' }>;
  readonly contact: ContactView | undefined;
  readonly model: PersonaModel;
}

export function SafetyNumberDialog({ me, dialog, contact, model }: SafetyNumberDialogProps) {
  const number = dialog.number;
  const pending = number?.keyChangePending ?? contact?.keyChanged ?? false;
  return (
    <Dialog title={`Safety number: ${me} and ${dialog.contact}`} onClose={() => model.dialogs.close()} testId="safety-dialog">
      {dialog.error && (
        <p className="warning" role="alert">
          {dialog.error}
        </p>
      )}
      {!number && !dialog.error && <p className="muted">Computing…</p>}
      {number && (
        <div className="safety">
          <div className="safety-digits" data-testid="safety-number" aria-label={`Safety number ${number.safetyNumber}`}>
            {safetyNumberGroups(number.safetyNumber).map((group, i) => (
              <span key={i}>{group}</span>
            ))}
          </div>
          <QrCode text={number.safetyNumber.replace(/\s/g, '')} size={180} label="QR code of the safety number" />
        </div>
      )}
      {number && number.deviceIds.length > 1 && (
        <p className="warning" data-testid="safety-devices">
          This number covers the {number.deviceIds.length} devices your messages to {dialog.contact} are encrypted for. An account here has only
          one device, so the server added the others: on {dialog.contact}’s screen the number will not match.
        </p>
      )}
      <p>
        Compare these numbers with {dialog.contact}’s screen (they see the same 60 digits), in person or on a call. If they match, nobody is
        reading along in between. The QR code holds the same digits, for a phone to scan.
      </p>
      {pending && (
        <div className="warning" data-testid="safety-pending">
          <p>
            {dialog.contact}’s key has changed. This number is for the <strong>old</strong> key, still trusted. Accept the new key to see the new
            number, then compare again.
          </p>
          <button type="button" className="danger" data-testid="accept-new-key-dialog" onClick={() => void model.acceptNewKey(dialog.contact)}>
            Accept new key
          </button>
        </div>
      )}
      <div className="row dialog-actions">
        {number?.verified ? (
          <span className="verified" data-testid="verified-state">
            ✓ Verified: you marked this number as matching
          </span>
        ) : (
          <button type="button" data-testid="mark-verified" disabled={!number || pending} onClick={() => void model.dialogs.markVerified()}>
            Mark as verified
          </button>
        )}
      </div>
      <Explain title="What a safety number is" open={false}>
        <p>
          It is made from both people’s public keys, of every device your messages are encrypted for. If the server (or anyone) swapped a key
          or added a device to listen in, the numbers on the two screens would differ. Apps like Signal and WhatsApp show the same kind of number.
        </p>
      </Explain>
    </Dialog>
  );
}
