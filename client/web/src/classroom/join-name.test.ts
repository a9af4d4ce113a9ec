import { describe, expect, it } from 'vitest';
import { MAX_USERNAME_CHARS } from '@envelope/protocol';
import { joinNameNote, nameAsJoined } from './join-name.js';

describe('the name a person joins under', () => {
  it('says nothing when the name is used as typed', () => {
    expect(joinNameNote('alice')).toBeNull();
    expect(joinNameNote('')).toBeNull();
    expect(nameAsJoined('alice')).toBe('alice');
  });

  it('says, in plain words, that capitals become lowercase', () => {
    expect(nameAsJoined('Alice')).toBe('alice');
    expect(joinNameNote('Alice')).toBe('You will join as “alice”: names are lowercase.');
  });

  it('says a long name is cut, and to what', () => {
    const typed = 'a'.repeat(MAX_USERNAME_CHARS + 8);
    expect(nameAsJoined(typed)).toHaveLength(MAX_USERNAME_CHARS);
    expect(joinNameNote(typed)).toBe(`You will join as “${'a'.repeat(MAX_USERNAME_CHARS)}”: names are at most ${MAX_USERNAME_CHARS} characters.`);
  });

  it('gives every reason that applies, spaces included', () => {
    expect(joinNameNote(' Bob ')).toBe('You will join as “bob”: names are lowercase, spaces at the ends are dropped.');
    expect(joinNameNote('bob ')).toBe('You will join as “bob”: spaces at the ends are dropped.');
  });
});
