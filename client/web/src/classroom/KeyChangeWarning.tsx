/**
 * The warning when a contact's safety number changes. Harmless causes are
 * common (a new phone, a reinstall), but it is also what a person in the
 * middle looks like, so it is prominent, says so plainly, and holds their
 * messages until the user decides. Stronger when the old key had been verified.
 */
import { Explain } from '../ui/Explain.js';
import { SOURCES } from '../ui/sources.js';

export interface KeyChangeWarningProps {
  readonly contact: string;
  readonly afterVerification: boolean;
  readonly onCheck: () => void;
  readonly onAccept: () => void;
}

export function KeyChangeWarning({ contact, afterVerification, onCheck, onAccept }: KeyChangeWarningProps) {
  return (
    <div className={`key-change warning ${afterVerification ? 'strong' : ''}`} role="alert" data-testid="key-change-warning" data-after-verification={afterVerification}>
      <p className="key-change-title">
        <strong>⚠ {contact}’s safety number has changed.</strong>
      </p>
      {afterVerification ? (
        <p>
          You had <strong>verified</strong> {contact}, and the key you checked is no longer the one in use. Ask {contact} in person whether they
          reset their keys or got a new device. Only then accept, and compare the new safety number again.
        </p>
      ) : (
        <p>
          Usually this means {contact} reinstalled the app or reset their keys. It is also what it would look like if someone tried to listen in.
          Their new messages are held, unread, until you accept.
        </p>
      )}
      <div className="row">
        <button type="button" className="secondary" data-testid="check-safety-number" onClick={onCheck}>
          Check safety number
        </button>
        <button type="button" className="danger" data-testid="accept-new-key" onClick={onAccept}>
          Accept new key
        </button>
      </div>
      <Explain title="Why this matters" open={false} source={SOURCES.openLetter2019}>
        <p>
          A server that wanted to read along could hand out a key of its own instead of {contact}’s. End-to-end encryption cannot stop that
          silently; this warning, and comparing safety numbers, is how you notice.
        </p>
      </Explain>
    </div>
  );
}
