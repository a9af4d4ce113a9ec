/** The access field and the rogue app's figures, in the classroom's words (escrow-view.ts). */
import { describe, expect, it } from 'vitest';
import { accessFieldView, bigNumberWords, durationWords, expectedTries, searchFigures } from './escrow-view.js';
import { toBase64Url } from './format.js';

function described(checkBits: 16 | 64) {
  const checkBytes = checkBits / 8;
  const conversation = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const ratchetKeyPrefix = Uint8Array.from([0xaa, 0xbb, 0xcc, 0xdd, 0, 0, 0, 1]);
  const checkword = new Uint8Array(checkBytes).fill(0xc7);
  const field = Uint8Array.from([1, checkBytes, ...conversation, 0, 0, 0, 3, ...ratchetKeyPrefix, ...new Uint8Array(189), ...checkword]);
  return { field: toBase64Url(field), bytes: field.length, checkBits, conversation, chainIndex: 3, ratchetKeyPrefix, sealedBytes: 189, checkword };
}

describe('the access field in plain words', () => {
  it('lists version, check width, conversation, message number, sealed key and checkword, in that order, with their values', () => {
    const view = accessFieldView(described(16));
    expect(view.parts.map((p) => p.name)).toEqual(['Version', 'Check width', 'Conversation', 'Message number', 'The sealed message key', 'Checkword']);
    expect(view.parts.map((p) => p.value)).toEqual(['1', '16 bits', '0102 0304 0506 0708', '3 in the chain of ratchet key aabb ccdd 0000 0001…', '189 bytes', 'c7c7']);
    expect(view.bytes).toBe(view.field.length);
    expect(view.parts.find((p) => p.key === 'width')!.meaning).toContain('by trial');
    expect(view.parts.find((p) => p.key === 'sealed')!.meaning).toContain('any two of its three holders');
  });

  it('a 64-bit field says trial is out of reach', () => {
    const view = accessFieldView(described(64));
    expect(view.checkBits).toBe(64);
    expect(view.parts.find((p) => p.key === 'width')!.meaning).toBe('too wide to find a passing field by trial');
    expect(view.parts.find((p) => p.key === 'checkword')!.value).toBe('c7c7 c7c7 c7c7 c7c7');
  });
});

describe('the rogue app’s figures', () => {
  it('expects 2^bits tries by random trial: 65,536 for 16 bits', () => {
    expect(expectedTries(16)).toBe(65_536);
    expect(expectedTries(64)).toBe(2 ** 64);
  });

  it('says a time in the unit that reads best', () => {
    expect(durationWords(65_536, 65_536)).toBe('about 1.0 seconds');
    expect(durationWords(65_536, 1_000)).toBe('about 66 seconds');
    expect(durationWords(3_600 * 1_000, 1_000)).toBe('about 60 minutes');
    expect(durationWords(2 ** 64, 0)).toBe('an unknown time');
    // 2^64 tries at 66,017 a second (the bench's figure): 8.85 million years.
    expect(durationWords(2 ** 64, 66_017)).toBe('about 8.9 million years');
    expect(durationWords(2 ** 64, 1)).toBe('about 585 billion years');
  });

  it('writes big numbers in words and the running figures with separators', () => {
    expect(bigNumberWords(12_000_000_000_000)).toBe('12 trillion');
    expect(bigNumberWords(950)).toBe('950');
    expect(searchFigures({ tries: 12_345, elapsedMs: 420, triesPerSecond: 30_000 })).toBe('12,345 tries · 0.4 s · 30,000 tries a second');
  });
});
