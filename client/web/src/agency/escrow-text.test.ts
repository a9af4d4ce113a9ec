/** The agency page's key-escrow words: counts a class reads right, refusals in plain words. */
import { describe, expect, it } from 'vitest';
import { EscrowOpenedMessageSchema, type EscrowLeakResult, type EscrowOpenedMessage } from '@envelope/protocol';
import { AgencyApiError } from './agency-api.js';
import { checkWidthText, countOpened, holderList, leakSummary, openSummary, refusalText } from './escrow-text.js';

function opened(seq: number, kind: EscrowOpenedMessage['kind'], outcome: EscrowOpenedMessage['outcome'] = 'opened'): EscrowOpenedMessage {
  return EscrowOpenedMessageSchema.parse({
    seq,
    messageId: `m${seq}`,
    sender: 'alice',
    recipient: 'bob',
    storedAt: 1_000 * seq,
    mode: 'key-escrow',
    outcome,
    kind: outcome === 'opened' ? kind : null,
    text: outcome === 'opened' && kind === 'text' ? `text ${seq}` : null,
  });
}

describe('the key-escrow words', () => {
  it('counts texts apart from receipts and from fields that open to nothing', () => {
    const messages = [opened(1, 'text'), opened(2, 'receipt'), opened(3, 'text'), opened(4, null, 'opens-to-nothing')];
    expect(countOpened(messages)).toEqual({ texts: 2, control: 1, nothing: 1 });
    expect(openSummary('alice', 4, messages)).toBe(
      '4 retained envelopes of alice: 2 messages opened in their text, 1 delivery receipt (no words), 1 that opens to nothing (a rogue app’s access field).',
    );
    expect(openSummary('alice', 9, messages)).toContain('The newest 4 of 9 are listed.');
    expect(openSummary('carol', 0, [])).toBe('The server keeps no message of carol under key escrow: there was nothing to open.');
  });

  it('says why the escrow refused, in plain words', () => {
    const tooFew = new AgencyApiError('REJECTED', 'only 1 share was given: the escrow key needs 2 of the 3 holders (court, agency, provider)', 'BAD_REQUEST');
    expect(refusalText(tooFew, 1)).toBe(
      'Refused: one share is not enough. The escrow key needs 2 of the 3 holders (court, agency or provider), and one share alone reveals nothing about it. Nothing was opened.',
    );
    expect(refusalText(new AgencyApiError('REJECTED', 'x', 'SHARES_DO_NOT_FIT'), 2)).toContain('do not rebuild the escrow key');
    expect(refusalText(new AgencyApiError('REJECTED', 'x', 'ESCROW_NOT_SET_UP'), 2)).toContain('no escrow key yet');
    expect(refusalText(new AgencyApiError('NOT_FOUND', 'no account named zed'), 2)).toBe('Not found: no account named zed.');
    expect(refusalText(new AgencyApiError('UNAUTHORIZED', 'no'), 2)).toContain('refused the agency token');
    expect(refusalText(new AgencyApiError('BAD_RESPONSE', 'x'), 2)).toContain('did not match');
  });

  it('names holders in a sentence, and says what each check width means', () => {
    expect(holderList(['court'])).toBe('court');
    expect(holderList(['court', 'provider'])).toBe('court and provider');
    expect(holderList(['court', 'agency', 'provider'])).toBe('court, agency and provider');
    expect(checkWidthText(16)).toContain('about 65,536 tries');
    expect(checkWidthText(64)).toContain('out of reach');
    expect(checkWidthText(64)).not.toContain('65,536');
  });

  it('the leak: messages of people, every one from before the leak; nothing when nothing is kept', () => {
    const result: EscrowLeakResult = { attack: true, holders: ['court', 'provider'], messages: 12, controlMessages: 5, people: 3, opensToNothing: 1, oldestStoredAt: 5, sample: [], auditSeq: 4 };
    expect(leakSummary(result)).toBe(
      'With the shares of court and provider, the leaked key opened 12 kept messages of 3 people, every one sent before the leak. It opened 5 delivery receipts too (no words in them). 1 access field opened to nothing (a rogue app’s).',
    );
    expect(leakSummary({ ...result, messages: 0, people: 0, opensToNothing: 0 })).toContain('opened nothing');
  });
});
