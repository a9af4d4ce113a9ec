import { describe, expect, it } from 'vitest';
import type { GraphEdge } from './schemas.js';
import { GRAPH_FRAME, layoutGraph, nodeRadius, pairEdges, type Point } from './graph-layout.js';

const edge = (from: string, to: string, envelopes: number, lastAt = 1, receipts = 0) => ({ from, to, envelopes, receipts, bytes: envelopes * 100, firstAt: 0, lastAt }) as GraphEdge;

const distance = (p: Point, q: Point) => Math.hypot(p.x - q.x, p.y - q.y);

describe('pairEdges', () => {
  it('folds both directions between two people into one pair', () => {
    const pairs = pairEdges([edge('bob', 'alice', 3, 5, 4), edge('alice', 'bob', 4, 9, 3), edge('alice', 'carol', 1)]);
    expect(pairs).toEqual([
      { a: 'alice', b: 'bob', aToB: 4, bToA: 3, total: 7, receipts: 7, bytes: 700, lastAt: 9 },
      { a: 'alice', b: 'carol', aToB: 1, bToA: 0, total: 1, receipts: 0, bytes: 100, lastAt: 1 },
    ]);
  });
});

describe('layoutGraph', () => {
  const people = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((id) => ({ id, envelopes: 4 }));
  const pairs = pairEdges([edge('alice', 'bob', 5), edge('bob', 'carol', 2), edge('dave', 'erin', 9)]);

  it('places everyone inside the frame, without overlapping circles', () => {
    const positions = layoutGraph(people, pairs);
    expect([...positions.keys()].sort()).toEqual(people.map((p) => p.id).sort());
    for (const point of positions.values()) {
      expect(point.x).toBeGreaterThanOrEqual(GRAPH_FRAME.margin - 0.001);
      expect(point.x).toBeLessThanOrEqual(GRAPH_FRAME.width - GRAPH_FRAME.margin + 0.001);
      expect(point.y).toBeGreaterThanOrEqual(GRAPH_FRAME.margin - 0.001);
      expect(point.y).toBeLessThanOrEqual(GRAPH_FRAME.height - GRAPH_FRAME.margin + 0.001);
    }
    const list = [...positions.values()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) expect(distance(list[i]!, list[j]!)).toBeGreaterThan(2 * nodeRadius(4));
    }
  });

  it('draws people who talk closer together than people who do not', () => {
    const positions = layoutGraph(people, pairs);
    const at = (id: string) => positions.get(id)!;
    expect(distance(at('dave'), at('erin'))).toBeLessThan(distance(at('dave'), at('alice')));
    expect(distance(at('alice'), at('bob'))).toBeLessThan(distance(at('alice'), at('frank')));
  });

  it('is the same for the same input, and moves people little when only counts change', () => {
    const first = layoutGraph(people, pairs);
    expect(layoutGraph(people, pairs)).toEqual(first);
    const busier = pairEdges([edge('alice', 'bob', 6), edge('bob', 'carol', 2), edge('dave', 'erin', 9)]);
    const next = layoutGraph(people, busier, first);
    for (const person of people) expect(distance(next.get(person.id)!, first.get(person.id)!)).toBeLessThan(60);
  });

  it('puts a lone person in the middle and handles nobody', () => {
    expect(layoutGraph([{ id: 'alice', envelopes: 0 }], [])).toEqual(new Map([['alice', { x: GRAPH_FRAME.width / 2, y: GRAPH_FRAME.height / 2 }]]));
    expect(layoutGraph([], []).size).toBe(0);
  });
});
