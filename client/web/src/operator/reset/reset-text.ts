/**
 * The reset confirmation in words: what will be deleted, by count, and what
 * stays. Pure, so the wording is tested without a browser.
 */
import { POLICY_WORDS, type ClassCounts } from '@envelope/protocol';

function n(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/** One line per kind of data the reset deletes (those with nothing to delete are left out, except accounts and messages). */
export function resetDeletes(counts: ClassCounts): string[] {
  const lines = [
    `${n(counts.accounts, 'account', 'accounts')}, with ${n(counts.devices, 'device', 'devices')}, ${n(counts.prekeys, 'public key', 'public keys')} and ${n(counts.signIns, 'sign-in', 'sign-ins')}`,
    `${n(counts.loggedEnvelopes, 'envelope', 'envelopes')} in the envelope log (who wrote to whom, when, how big)`,
    `${n(counts.waitingEnvelopes, 'message', 'messages')} still waiting in mailboxes`,
  ];
  if (counts.reports > 0) lines.push(`${n(counts.reports, 'user report', 'user reports')}, with the text each revealed`);
  if (counts.readMessages > 0) lines.push(`${n(counts.readMessages, 'message', 'messages')} the server read in transport-only, with their text`);
  if (counts.escrowedMessages > 0 || counts.escrowKeyFiles) {
    lines.push(
      `${n(counts.escrowedMessages, 'message', 'messages')} kept for the escrow${counts.escrowKeyFiles ? ', and the escrow key’s files (its public half and the three shares)' : ''}`,
    );
  }
  if (counts.interceptWarrants + counts.interceptCopies + counts.auditLines > 0) {
    lines.push(
      `the intercept console’s ${n(counts.interceptWarrants, 'warrant', 'warrants')}, ${n(counts.interceptCopies, 'copied message', 'copied messages')} and ${n(counts.auditLines, 'audit line', 'audit lines')}`,
    );
  }
  if (counts.addresses > 0) lines.push(`${n(counts.addresses, 'network address', 'network addresses')}`);
  if (counts.policyChanges > 0) lines.push(`the history of ${n(counts.policyChanges, 'policy change', 'policy changes')}`);
  return lines;
}

/** What happens to the mode. */
export function resetMode(counts: ClassCounts): string {
  const name = POLICY_WORDS[counts.mode].name;
  return counts.mode === 'e2ee'
    ? 'The server stays in end-to-end encryption.'
    : `The server goes back to end-to-end encryption (it is in ${name.toLowerCase()} now): a new class must not find it already reading.`;
}

export const RESET_KEEPS =
  'Kept: the operator and agency tokens, the server’s own keys and the content scanner’s rules. Everyone still on the classroom page is told their name no longer exists, and can join again.';
