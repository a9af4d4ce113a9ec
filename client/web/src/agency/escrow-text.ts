/**
 * The words of the agency page's key-escrow sections, apart from React so
 * they can be tested: who holds which share, what the check width means, and
 * what an opening or a leak returned, counted the way a class reads it
 * (texts apart from delivery receipts, which hold no words).
 */
import { ESCROW_HOLDERS, ESCROW_THRESHOLD, type EscrowCheckBits, type EscrowHolder, type EscrowLeakResult, type EscrowOpenedMessage } from '@envelope/protocol';
import { countOf } from '../ui/policy-view.js';
import { AgencyApiError, agencyFailureText } from './agency-api.js';

/** Each holder as the page names it, and what its share stands for. */
export const HOLDER_WORDS: Readonly<Record<EscrowHolder, { readonly name: string; readonly role: string; readonly handsOver: string }>> = {
  court: { name: 'The court', role: 'keeps a share so that no opening happens without a judge', handsOver: 'The court hands over its share' },
  agency: { name: 'The agency', role: 'keeps a share and asks for the others', handsOver: 'The agency hands over its share' },
  provider: { name: 'The provider', role: 'this service: keeps a share of the key its users’ messages are sealed to', handsOver: 'The provider hands over its share' },
};

/** "court and agency", "court, agency and provider". */
export function holderList(holders: readonly EscrowHolder[]): string {
  const names = holders.map((holder) => holder);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export const THRESHOLD_TEXT =
  `Any ${ESCROW_THRESHOLD} of the ${ESCROW_HOLDERS.length} holders together rebuild the escrow key. ` +
  'One share alone tells nothing about the key (Shamir’s secret sharing), so no single holder can open anything.';

/** What the announced check width means, for a class. */
export function checkWidthText(bits: EscrowCheckBits): string {
  const common =
    `Every message carries an access field: its key sealed to the escrow key, and a ${bits}-bit check. ` +
    'The recipient’s app refuses a message whose check does not match, so a compliant app cannot leave the escrow out. ';
  if (bits === 16) {
    return (
      common +
      '16 bits is what the Clipper chip used. A rogue app that tries random fields finds one that passes after about 65,536 tries on average ' +
      '(Matt Blaze showed it against Clipper in 1994): the recipient reads the message, and the escrow opens nothing.'
    );
  }
  return (
    common +
    'With 64 bits, trial would take about 18 billion billion tries: out of reach. ' +
    'A rogue app can still encrypt the text again inside the message: escrow binds only apps that follow the rules.'
  );
}

export const DEMO_SHARES_CAVEAT =
  'In this demonstration all three share files sit on this server’s disk, and the page fetches a holder’s share from there. ' +
  'In reality each holder keeps its own share on its own premises, and brings it only when it agrees.';

export interface OpenedCounts {
  /** Text messages opened. */
  readonly texts: number;
  /** Delivery receipts and other control messages opened (no words). */
  readonly control: number;
  /** Access fields that opened to nothing: a rogue app's. */
  readonly nothing: number;
}

export function countOpened(messages: readonly EscrowOpenedMessage[]): OpenedCounts {
  let texts = 0;
  let control = 0;
  let nothing = 0;
  for (const message of messages) {
    if (message.outcome !== 'opened') nothing++;
    else if (message.kind === 'text') texts++;
    else control++;
  }
  return { texts, control, nothing };
}

/** The line above the opened messages. */
export function openSummary(username: string, total: number, shown: readonly EscrowOpenedMessage[]): string {
  if (total === 0) return `The server keeps no message of ${username} under key escrow: there was nothing to open.`;
  const counts = countOpened(shown);
  const parts = [`${countOf(counts.texts, 'message')} opened in their text`];
  if (counts.control > 0) parts.push(`${countOf(counts.control, 'delivery receipt')} (no words)`);
  if (counts.nothing > 0) parts.push(`${counts.nothing} that ${counts.nothing === 1 ? 'opens' : 'open'} to nothing (a rogue app’s access field)`);
  const more = shown.length < total ? ` The newest ${shown.length} of ${total} are listed.` : '';
  return `${countOf(total, 'retained envelope')} of ${username}: ${parts.join(', ')}.${more}`;
}

/** Why an opening or a leak was refused, in plain words. `given` is how many shares were brought. */
export function refusalText(error: unknown, given: number): string {
  if (error instanceof AgencyApiError && error.code === 'REJECTED') {
    if (error.problem === 'SHARES_DO_NOT_FIT') return 'Refused: these shares do not rebuild the escrow key (at least one is wrong). Nothing was opened.';
    if (error.problem === 'ESCROW_NOT_SET_UP') return 'Refused: there is no escrow key yet. It is made the first time the operator switches to key escrow.';
    if (given < ESCROW_THRESHOLD) {
      return (
        `Refused: ${given === 1 ? 'one share is' : 'no share is'} not enough. The escrow key needs ${ESCROW_THRESHOLD} of the ${ESCROW_HOLDERS.length} holders ` +
        `(${holderList([...ESCROW_HOLDERS]).replace(' and ', ' or ')}), and one share alone reveals nothing about it. Nothing was opened.`
      );
    }
    return `Refused: ${error.message}.`;
  }
  // Anything else reads as on the rest of the page (a refused token, the server out of reach, an answer off the contract).
  return agencyFailureText(error);
}

/** The leak's headline: messages of people, and that every one was sent before the leak. */
export function leakSummary(result: EscrowLeakResult): string {
  if (result.messages === 0) return 'The leaked key opened nothing: the server keeps no message sent under key escrow.';
  const rogue = result.opensToNothing > 0 ? ` ${countOf(result.opensToNothing, 'access field')} opened to nothing (a rogue app’s).` : '';
  const control = result.controlMessages > 0 ? ` It opened ${countOf(result.controlMessages, 'delivery receipt')} too (no words in them).` : '';
  return (
    `With the shares of ${holderList(result.holders)}, the leaked key opened ${countOf(result.messages, 'kept message')} of ` +
    `${countOf(result.people, 'person', 'people')}, every one sent before the leak.${control}${rogue}`
  );
}
