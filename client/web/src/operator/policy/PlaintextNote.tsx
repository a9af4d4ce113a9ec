/**
 * The line under the operator page's title that says whether message text
 * can appear on the page, true to the mode in force: none in e2ee (or only
 * what earlier modes left, beside the envelopes it came in), every new
 * message's text in transport-only; in key-escrow none, but every message kept
 * for the escrow holders.
 */
import { DEFAULT_POLICY_MODE, type PolicyAnnouncement } from '@envelope/protocol';
import { countOf } from '../../ui/policy-view.js';

export function PlaintextNote({ policy }: { readonly policy: PolicyAnnouncement | null }) {
  const mode = policy?.mode ?? DEFAULT_POLICY_MODE;
  const held = policy?.exposure.messages ?? 0;
  if (mode === 'key-escrow') {
    return (
      <p className="operator-no-plaintext operator-reads" data-testid="operator-no-plaintext" data-mode={mode}>
        <strong>The server still reads no message text, but it now keeps every message after delivery.</strong> Each carries its key sealed to an
        escrow key: any two of the court, the agency and this provider, with their shares, can open all of them (the{' '}
        <code>escrow_retained</code> table below).
      </p>
    );
  }
  if (mode !== DEFAULT_POLICY_MODE) {
    return (
      <p className="operator-no-plaintext operator-reads" data-testid="operator-no-plaintext" data-mode={mode}>
        <strong>The server reads every new message.</strong> Each one’s text is shown beside its envelope below, and the content scanner checks it.
        The server keeps the text as long as it keeps the metadata.
      </p>
    );
  }
  if (held > 0) {
    return (
      <p className="operator-no-plaintext" data-testid="operator-no-plaintext" data-mode={mode}>
        <strong>New messages are end-to-end encrypted: the server cannot read them.</strong> It still holds the text of{' '}
        {countOf(held, 'message')} of {countOf(policy?.exposure.people ?? 0, 'person', 'people')}, sent while it could read them; that text is shown
        beside those envelopes until it expires.
      </p>
    );
  }
  return (
    <p className="operator-no-plaintext" data-testid="operator-no-plaintext" data-mode={mode}>
      <strong>No message text appears on this page, because the server has none</strong> (except messages a recipient chose to report, in their own
      section). Messages are locked in the sender’s browser with keys only the recipient holds. The server relays sealed envelopes and keeps the
      details written on the outside.
    </p>
  );
}
