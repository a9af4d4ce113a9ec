/** The operator's confirmation says what changes for whom, with the server's counts. */
import { describe, expect, it } from 'vitest';
import { switchConsequences } from './switch-text.js';

describe('switchConsequences', () => {
  it('to transport-only: new messages readable by the server, old ones as they were', () => {
    const text = switchConsequences('transport-only', { messages: 0, people: 0 });
    expect(text.paragraphs[0]).toBe('From now on, everyone’s new messages are readable by this server: it keeps their text. Messages already sent stay as they were.');
    expect(text.paragraphs.join(' ')).toContain('The server can read what you write.');
    expect(text.confirm).toContain('read new messages');
  });

  it('back to e2ee: quotes how many messages of how many people stay readable', () => {
    expect(switchConsequences('e2ee', { messages: 12, people: 3 }).paragraphs[0]).toBe(
      'New messages are protected again. The 12 messages of 3 people the server already read stay readable to it until they expire.',
    );
    expect(switchConsequences('e2ee', { messages: 1, people: 2 }).paragraphs[0]).toContain('The 1 message of 2 people');
    expect(switchConsequences('e2ee', { messages: 0, people: 0 }).paragraphs[0]).toContain('holds no messages it read earlier');
    expect(switchConsequences('e2ee', null).paragraphs[0]).toContain('did not say how many');
  });

  it('to key-escrow: still end to end, each key sealed to the escrow key, every ciphertext kept after delivery', () => {
    const text = switchConsequences('key-escrow', { messages: 0, people: 0 });
    expect(text.paragraphs[0]).toBe(
      'From now on, messages stay end-to-end encrypted, but each carries its key sealed to an escrow key; the server must now keep every ciphertext after delivery.',
    );
    expect(text.paragraphs.join(' ')).toContain('Any two of the court, the agency and this provider');
    expect(text.paragraphs.join(' ')).not.toContain('readable by this server');
    expect(text.confirm).toBe('Yes, escrow every new message’s key');
  });

  it('back to e2ee from key-escrow: the escrowed messages stay kept and openable by two holders', () => {
    const paragraphs = switchConsequences('e2ee', { messages: 0, people: 0 }, 'key-escrow').paragraphs;
    expect(paragraphs[1]).toBe('Messages sent under key escrow stay kept at the server until they expire, and any two holders of the escrow key’s shares can still open them.');
    expect(switchConsequences('e2ee', { messages: 0, people: 0 }, 'transport-only').paragraphs.join(' ')).not.toContain('key escrow');
  });

  it('back to e2ee with the server’s count of escrowed messages (exposure.escrowed): quotes it', () => {
    const exposure = { messages: 0, people: 0, escrowed: { messages: 6, people: 2 } };
    expect(switchConsequences('e2ee', exposure, 'key-escrow').paragraphs[1]).toBe(
      'Messages sent under key escrow (here 6 messages of 2 people) stay kept at the server until they expire, and any two holders of the escrow key’s shares can still open them.',
    );
  });
});
