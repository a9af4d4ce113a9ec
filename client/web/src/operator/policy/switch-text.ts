/**
 * What the operator's confirmation says before the server's mode changes: in
 * plain words, what changes for whom, and what does not (messages already
 * sent, or already written and waiting on a device, keep the mode they were
 * written under). The counts come from the server's own announcement.
 */
import { DEFAULT_POLICY_MODE, POLICY_WORDS, type EscrowCheckBits, type PolicyExposure, type PolicyMode } from '@envelope/protocol';
import { countOf } from '../../ui/policy-view.js';

export interface SwitchConsequences {
  readonly title: string;
  /** The sentence that matters most, first: what happens to new messages. */
  readonly paragraphs: readonly string[];
  /** The confirm button's words: what pressing it does. */
  readonly confirm: string;
}

/**
 * What key escrow left behind, when switching back: with the server's count
 * (exposure.escrowed, which newer servers announce) or, without it, in words.
 */
function escrowedText(exposure: (PolicyExposure & { readonly escrowed?: { readonly messages: number; readonly people: number } }) | null, from: string | null): string[] {
  const escrowed = exposure?.escrowed;
  const stay = 'stay kept at the server until they expire, and any two holders of the escrow key’s shares can still open them.';
  if (escrowed && escrowed.messages > 0) {
    // The server counts texts (their delivery receipts are kept too, and not counted).
    return [`Messages sent under key escrow (here ${countOf(escrowed.messages, 'message')} of ${countOf(escrowed.people, 'person', 'people')}) ${stay}`];
  }
  return from === 'key-escrow' ? [`Messages sent under key escrow ${stay}`] : [];
}

/** `exposure` is the server's count now (null if it could not be asked); `from` the mode in force. */
export function switchConsequences(to: PolicyMode, exposure: PolicyExposure | null, from: string | null = null): SwitchConsequences {
  if (to === DEFAULT_POLICY_MODE) {
    const held =
      exposure === null
        ? 'The server did not say how many messages it already read; those stay readable to it until they expire.'
        : exposure.messages === 0
          ? 'The server holds no messages it read earlier.'
          : `The ${countOf(exposure.messages, 'message')} of ${countOf(exposure.people, 'person', 'people')} the server already read stay readable to it until they expire.`;
    return {
      title: `Switch back to ${POLICY_WORDS[to].name.toLowerCase()}?`,
      paragraphs: [
        `New messages are protected again. ${held}`,
        ...escrowedText(exposure, from),
        'Everyone’s chat loses its warning banner. A message someone already wrote under the old mode, still waiting on their device, is sent as it was written: readable by the server.',
      ],
      confirm: 'Yes, protect new messages',
    };
  }
  if (to === 'key-escrow') {
    return {
      title: `Switch to ${POLICY_WORDS[to].name.toLowerCase()}?`,
      paragraphs: [
        'From now on, messages stay end-to-end encrypted, but each carries its key sealed to an escrow key; the server must now keep every ciphertext after delivery.',
        'The server alone still cannot read them. Any two of the court, the agency and this provider, with their shares of the escrow key, can open all of them. ' +
          'Everyone’s chat shows a key-escrow warning, their apps refuse a message the escrow could not open, and sealed sender is turned off.',
        'A message already written and still waiting on someone’s device is sent under the mode it was written in. Nothing is re-encrypted.',
      ],
      confirm: 'Yes, escrow every new message’s key',
    };
  }
  return {
    title: `Switch to ${POLICY_WORDS[to].name.toLowerCase()}?`,
    paragraphs: [
      'From now on, everyone’s new messages are readable by this server: it keeps their text. Messages already sent stay as they were.',
      `Everyone’s chat shows a warning: “${POLICY_WORDS[to].banner}” ${POLICY_WORDS[to].detail}`,
      'A message someone already wrote, still waiting on their device, is sent as it was written: end-to-end encrypted. Nothing is re-encrypted.',
    ],
    confirm: 'Yes, let the server read new messages',
  };
}

/** The check width's choice in the confirmation: what each width means for a rogue app. */
export const CHECK_WIDTH_CHOICES: readonly { readonly bits: EscrowCheckBits; readonly label: string; readonly meaning: string }[] = [
  {
    bits: 16,
    label: '16 bits, as in Clipper (1994)',
    meaning: 'A rogue app finds an access field that passes the check and opens to nothing in about 65,536 tries: seconds.',
  },
  {
    bits: 64,
    label: '64 bits',
    meaning: 'Trial is out of reach (about 18 billion billion tries), but a rogue app can still encrypt again inside the message.',
  },
];
