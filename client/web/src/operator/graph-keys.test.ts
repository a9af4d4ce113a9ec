import { describe, expect, it } from 'vitest';
import { graphKey, nextPerson, tabStop } from './graph-keys.js';

const at = (username: string, x: number, y: number) => ({ username, x, y });

describe('the graph by keyboard', () => {
  // carol is up-right of alice, bob right, dave below, erin far left.
  const alice = at('alice', 0, 0);
  const people = [alice, at('bob', 100, 10), at('carol', 60, -80), at('dave', 5, 120), at('erin', -300, 0)];

  it('moves to the nearest person the arrow points at', () => {
    expect(nextPerson(people, alice, 'right')?.username).toBe('bob');
    expect(nextPerson(people, alice, 'up')?.username).toBe('carol');
    expect(nextPerson(people, alice, 'down')?.username).toBe('dave');
    expect(nextPerson(people, alice, 'left')?.username).toBe('erin');
    const erin = people[4]!;
    expect(nextPerson(people, erin, 'left')).toBeNull();
  });

  it('falls back to anyone on that side when nobody is within 45 degrees', () => {
    const two = [at('a', 0, 0), at('b', 10, 200)];
    expect(nextPerson(two, two[0]!, 'right')?.username).toBe('b');
  });

  it('reads the keys: arrows move, Enter and Space select, + - 0 zoom, others are left alone', () => {
    expect(graphKey('ArrowUp')).toEqual({ kind: 'move', direction: 'up' });
    expect(graphKey('Enter')).toEqual({ kind: 'select' });
    expect(graphKey(' ')).toEqual({ kind: 'select' });
    expect(graphKey('+')).toEqual({ kind: 'zoom', by: 'in' });
    expect(graphKey('=')).toEqual({ kind: 'zoom', by: 'in' });
    expect(graphKey('-')).toEqual({ kind: 'zoom', by: 'out' });
    expect(graphKey('0')).toEqual({ kind: 'zoom', by: 'reset' });
    expect(graphKey('Tab')).toBeNull();
    expect(graphKey('p')).toBeNull();
  });

  it('puts the one Tab stop on the selected person, else the first by name', () => {
    expect(tabStop(people, 'dave')).toBe('dave');
    expect(tabStop(people, 'nobody')).toBe('alice');
    expect(tabStop([at('zed', 0, 0), at('amy', 1, 1)], null)).toBe('amy');
    expect(tabStop([], null)).toBeNull();
  });
});
