/** "What a thief gets" in words: the counts as a class reads them, and no text in e2ee. */
import { describe, expect, it } from 'vitest';
import type { BreachExport } from '@envelope/protocol';
import { breachLines } from './breach-text.js';

const e2eeOnly: BreachExport = {
  messages: 0,
  controlMessages: 0,
  people: 0,
  fromContentLog: 0,
  fromMailbox: 0,
  unreadableEnvelopes: 3,
  escrowRetained: 0,
  metadataRows: 7,
  transportKeyFile: { name: 'transport-key.json', exists: true },
  files: [{ name: 'envelope.sqlite', bytes: 4096 }],
  peopleList: [],
  sample: [],
};

describe('breachLines', () => {
  it('in e2ee: a thief reads no text, and has the bytes and the metadata', () => {
    const lines = breachLines(e2eeOnly);
    expect(lines.headline).toBe('A thief reads no message text: the server holds none it can read.');
    expect(lines.details).toEqual([
      '3 end-to-end encrypted envelopes waiting for delivery: the thief has the bytes, not the text.',
      '7 rows of the metadata log: who wrote to whom, when and how much, in every mode.',
      'The transport key’s file (transport-key.json) is in the copy: with it, every transport-only message ever captured on the network opens too.',
    ]);
    expect(lines.escrowNote).toBeNull();
  });

  it('with readable messages: N messages of M people, receipts apart; and the share files once escrow was used', () => {
    const lines = breachLines({
      ...e2eeOnly,
      messages: 12,
      people: 3,
      controlMessages: 4,
      unreadableEnvelopes: 0,
      escrowRetained: 9,
      files: [...e2eeOnly.files, { name: 'escrow-public.json', bytes: 90 }],
    });
    expect(lines.headline).toBe('A thief reads 12 messages of 3 people, in their text.');
    expect(lines.details[0]).toBe('4 control messages it can read too (delivery receipts and the like: no words in them).');
    expect(lines.details[1]).toBe('No end-to-end encrypted envelope is waiting for delivery.');
    expect(lines.escrowNote).toContain('it keeps 9 ciphertexts for the escrow');
    expect(lines.escrowNote).toContain('the three share files sit in the same data directory');
  });
});
