/**
 * The words of the warrant answer, shared by the page and the exported
 * document so both say the same thing: plain language for a reader who is not
 * a cryptographer (a magistrate, a journalist, a class), with the reporting
 * the context cites (ui/sources.ts).
 */
import type { PolicyMode } from '@envelope/protocol';
import { SOURCES, type Source } from '../../ui/sources.js';
import { plural } from '../format.js';

export interface SectionText {
  readonly title: string;
  readonly about: string;
}

export const WARRANT_SECTIONS = {
  account: {
    title: 'The account',
    about: 'What the person gave when they signed up. The server asks for no name, phone number or e-mail, and never checks the age band.',
  },
  devices: {
    title: 'Devices and their public keys',
    about:
      'Each device publishes public keys so others can start encrypted conversations with it. Public keys lock messages; they cannot open them. ' +
      'The matching private keys never leave the device. The identity key names the device for good; the signed prekey (signed with the identity key) ' +
      'and the one-time and post-quantum prekeys let someone start a conversation while the device is offline, each one-time key only once. ' +
      'Active sign-ins are the device’s sessions that have not expired; the server keeps only a hash of each sign-in token, so it cannot hand the tokens over.',
  },
  contacts: {
    title: 'Who this account was in contact with',
    about: 'Worked out from the outside of the envelopes alone: with whom, how many envelopes each way, how many bytes, first and last time. Delivery receipts (a phone’s automatic “I have your message”) that the app marked as such are counted apart; sealed ones cannot be told apart and are not counted here at all.',
  },
  timeline: {
    title: 'Activity log',
    about:
      'Every envelope the server logged for this account, newest first: when, which of its devices, with whom, how big, whether the app marked it a delivery receipt, ' +
      'and when the recipient’s device picked it up. Each envelope has an id (chosen by the sender’s app) and a number in the server’s log, which the other parts ' +
      'of this answer use to name it. Its fingerprint (SHA-256 of the encrypted bytes) lets anyone holding a copy of the envelope show it is this one, without reading it.',
  },
  waiting: {
    title: 'Envelopes waiting for this account',
    about: 'Messages not yet delivered to this account’s devices. The server hands over their contents exactly as it holds them: encrypted.',
  },
  sentWaiting: {
    title: 'Envelopes this account sent that are still waiting',
    about: 'Messages from this account that their recipients have not collected yet, also encrypted.',
  },
  readable: {
    title: 'Messages the server read',
    about:
      'Messages this account sent or received while the server was set to read them (transport-only: encrypted only on the way to the server). ' +
      'The server opened them and kept their text, so it hands the text over. Messages sent end-to-end encrypted are never here.',
  },
  reports: {
    title: 'Verified user reports',
    about:
      'A person who receives a message can report it. The report carries the text they chose to reveal, and the server can check it was really sent. ' +
      'This is the only way message text reaches the server, and only with a participant’s consent.',
  },
  claims: {
    title: 'Unverified claims by reporters',
    about:
      'Reports of messages sent with sealed sender, where the sender’s name was hidden from the server. The server checked that the text really reached ' +
      'the reporter, but it never saw who sent it: that this account did is only the reporter’s word. These are claims, not evidence against this account.',
  },
  addresses: {
    title: 'Network addresses',
    about:
      'The internet (IP) addresses this account connected from. Every server sees them while a connection is open; whether it keeps them is a setting. ' +
      'An address can point to a home, a school or a phone company’s customer.',
  },
  notProvided: {
    title: 'What the server could not provide, and why',
    about: 'The server has handed over everything above. This is what it does not have.',
  },
} satisfies Record<string, SectionText>;

export const NO_DEVICES_TEXT = 'No devices: the account has none registered.';
export const NO_SIGNED_PREKEY_TEXT = 'none on file (nobody can start a conversation with this device until it uploads one)';

/** What the server holds about envelopes that reached this account with their sender hidden. */
export function hiddenSendersText(count: number): string {
  return count === 0
    ? 'No envelope reached this account with its sender hidden (sealed sender).'
    : `Also received ${plural(count, 'envelope')} whose sender was hidden (sealed sender): no contact can be named for ${count === 1 ? 'it' : 'them'}.`;
}

export const NO_REPORTS_TEXT = 'No verified reports are on file for messages this account sent.';
export const ADDRESSES_NOT_STORED_TEXT = 'Not stored (setting off): the server kept no record of where this account connected from.';

export const ADDRESS_EVENT_LABELS = {
  registered: 'signed up',
  'signed-in': 'signed in',
  connected: 'connected to the relay',
  'sealed-send': 'sent a sealed envelope',
} as const;

/** How long stored addresses are kept, and what the second list means. */
export function addressesStoredText(retentionDays: number): string {
  return `Stored (STORE_ADDRESSES is on) and kept ${retentionDays} day${retentionDays === 1 ? '' : 's'}.`;
}
export const SEALED_FROM_SAME_ADDRESSES_TEXT =
  'Sealed-sender envelopes sent from one of these addresses. Sealed sender hides the sender’s name from the server, but not the address: ' +
  'an envelope from the same address at the same time was probably sent by this account (or by someone sharing its network).';

export const NO_READABLE_TEXT = 'None: every message this account sent or received was end-to-end encrypted, so the server could read none.';

/** The policy mode an envelope was sent under, in words. */
export const MODE_TEXT = {
  e2ee: 'end-to-end encrypted',
  'transport-only': 'transport-only: the server read it',
  'key-escrow': 'key escrow: the server kept the ciphertext; holders of two escrow shares can open it',
} as const satisfies Record<PolicyMode, string>;

/** How the server knows who sent a message it read. */
export const SENDER_SOURCE_TEXT = {
  'signed-in': 'sender signed in',
  certificate: 'sender read from its sealed-sender certificate',
} as const;

/** What a message the server read turned out to be. */
export const CONTENT_KIND_TEXT = {
  text: 'a message',
  receipt: 'a delivery receipt',
  'session-reset': 'a session reset (sent by the app)',
  unknown: 'something the server could not read as a message',
} as const;

export const NO_CLAIMS_TEXT = 'No reporter has named this account as the sender of a sealed message.';

export const CIPHERTEXT_NOTE =
  'The letters below are the encrypted bytes, written as text (base64url). They look random because they are: without the recipient’s key, ' +
  'nobody (not the server, not whoever receives this document) can turn them back into the message.';

/** Why this answer matters: the claim it answers, in our words, with its sources. */
export const WARRANT_CONTEXT: { readonly paragraphs: readonly string[]; readonly sources: readonly Source[] } = {
  paragraphs: [
    'In April 2024 the UK’s National Crime Agency warned that with end-to-end encryption “companies are less able to act on warrants”. ' +
      'It said one stream of data that companies provided in answer to warrants gave it intelligence leading, in January to March 2024 alone, to 327 arrests, 3.5 tonnes of Class A drugs seized and £4.8 million recovered.',
    'From January to June 2023, before Messenger turned on end-to-end encryption by default, Meta answered more than 87% of the UK’s 9,710 requests for user data. ' +
      'The NCA said measures relying on metadata alone “will rarely, if ever” give enough evidence for a search warrant.',
    'This answer shows, on a running system, what is left to hand over: who, when and how much, but not what was said.',
  ],
  sources: [SOURCES.ncaReferrals, SOURCES.messengerDefaultE2ee],
};
