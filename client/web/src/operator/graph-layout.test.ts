import { describe, expect, it } from 'vitest';
import type { GraphEdge } from './schemas.js';
import { edgeWidth, GRAPH_FRAME, layoutGraph, nodeRadius, pairEdges, type Point } from './graph-layout.js';
import { MAX_RADIUS, overlaps } from './label-layout.js';

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
  const people = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((id) => ({ id }));
  const pairs = pairEdges([edge('alice', 'bob', 5), edge('bob', 'carol', 2), edge('dave', 'erin', 9)]);

  it('places everyone, with no two footprints (circle and name) intersecting', () => {
    const positions = layoutGraph(people, pairs);
    expect([...positions.keys()].sort()).toEqual(people.map((p) => p.id).sort());
    expect(overlaps([...positions].map(([id, at]) => ({ id, ...at })))).toEqual([]);
    const list = [...positions.values()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) expect(distance(list[i]!, list[j]!)).toBeGreaterThan(2 * MAX_RADIUS);
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
    const alone = layoutGraph([{ id: 'alice' }], []).get('alice')!;
    expect(Math.abs(alone.x - GRAPH_FRAME.width / 2)).toBeLessThan(5);
    expect(Math.abs(alone.y - GRAPH_FRAME.height / 2)).toBeLessThan(5);
    expect(layoutGraph([], []).size).toBe(0);
  });
});

describe('sizes', () => {
  it('grows a circle with traffic up to the footprint’s radius, and a line with its share of the busiest pair', () => {
    expect(nodeRadius(0)).toBeLessThan(nodeRadius(10));
    expect(nodeRadius(1_000_000)).toBe(MAX_RADIUS);
    expect(edgeWidth(1, 100)).toBeLessThan(edgeWidth(50, 100));
    expect(edgeWidth(100, 100)).toBe(8);
    expect(edgeWidth(100, 0)).toBe(8);
  });
});
