/**
 * The reset confirmation's words: every kind of data with something in it is
 * named with its count, empty lawful-access tables are left out, and the mode
 * line says whether the server goes back to end-to-end encryption.
 */
import { describe, expect, it } from 'vitest';
import type { ClassCounts } from '@envelope/protocol';
import { resetDeletes, resetMode } from './reset-text.js';

const EMPTY: ClassCounts = {
  accounts: 0,
  devices: 0,
  signIns: 0,
  prekeys: 0,
  waitingEnvelopes: 0,
  loggedEnvelopes: 0,
  reports: 0,
  addresses: 0,
  readMessages: 0,
  escrowedMessages: 0,
  interceptWarrants: 0,
  interceptCopies: 0,
  auditLines: 0,
  policyChanges: 0,
  escrowKeyFiles: false,
  mode: 'e2ee',
};

describe('the reset confirmation', () => {
  it('names what an e2ee class leaves, and only that', () => {
    const lines = resetDeletes({ ...EMPTY, accounts: 1, devices: 1, prekeys: 121, signIns: 1, loggedEnvelopes: 1_204, waitingEnvelopes: 3, reports: 1 });
    expect(lines).toEqual([
      '1 account, with 1 device, 121 public keys and 1 sign-in',
      '1,204 envelopes in the envelope log (who wrote to whom, when, how big)',
      '3 messages still waiting in mailboxes',
      '1 user report, with the text each revealed',
    ]);
    expect(resetMode(EMPTY)).toBe('The server stays in end-to-end encryption.');
  });

  it('names what the policy modes kept, and says the mode goes back to e2ee', () => {
    const counts: ClassCounts = { ...EMPTY, readMessages: 7, escrowedMessages: 4, escrowKeyFiles: true, interceptWarrants: 1, interceptCopies: 2, auditLines: 5, addresses: 9, policyChanges: 3, mode: 'transport-only' };
    expect(resetDeletes(counts).slice(3)).toEqual([
      '7 messages the server read in transport-only, with their text',
      '4 messages kept for the escrow, and the escrow key’s files (its public half and the three shares)',
      'the intercept console’s 1 warrant, 2 copied messages and 5 audit lines',
      '9 network addresses',
      'the history of 3 policy changes',
    ]);
    expect(resetMode(counts)).toMatch(/^The server goes back to end-to-end encryption \(it is in transport encryption only now\)/);
  });
});
