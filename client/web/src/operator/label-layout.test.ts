import { describe, expect, it } from 'vitest';
import type { GraphEdge, OperatorGraph } from './schemas.js';
import { drawGraph, layoutAspect, MAX_ASPECT } from './graph-state.js';
import { footprint, gridFallback, intersects, MAX_RADIUS, nameBox, nameWidth, overlaps, separate, type Box, type Placed } from './label-layout.js';

const CLASS_OF_THIRTY = [
  'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'quentin',
  'rupert', 'sybil', 'trent', 'ursula', 'victor', 'walter', 'xavier', 'yvonne', 'zoe', 'amir', 'bea', 'chen', 'dmitri', 'emma', 'farah',
];

/** A seeded class: `pairs` different pairs who talk, 1 to 12 envelopes each (the same seed gives the same class). */
function classGraph(names: readonly string[], pairs: number, seed: number): OperatorGraph {
  // mulberry32: a small seeded generator in 32-bit integer arithmetic (exact in JavaScript, unlike a float LCG, which can fall into a short cycle).
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const seen = new Set<string>();
  const edges: GraphEdge[] = [];
  while (edges.length < pairs) {
    const a = names[Math.floor(random() * names.length)]!;
    const b = names[Math.floor(random() * names.length)]!;
    const key = [a, b].sort().join(' ');
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    const envelopes = 1 + Math.floor(random() * 12);
    edges.push({ from: a, to: b, envelopes, receipts: 0, bytes: envelopes * 512, firstAt: 0, lastAt: 1 } as GraphEdge);
  }
  const nodes = names.map((username) => ({
    username,
    createdAt: 0,
    ageBand: null,
    sent: edges.filter((e) => e.from === username).reduce((n, e) => n + e.envelopes, 0),
    received: edges.filter((e) => e.to === username).reduce((n, e) => n + e.envelopes, 0),
  }));
  return { nodes, edges, unattributed: 0, receipts: 0 } as unknown as OperatorGraph;
}

/** Every name's box and every circle's box (at its drawn radius) in a picture. */
function drawnBoxes(graph: OperatorGraph) {
  const picture = drawGraph(graph);
  const names = picture.people.map((p) => nameBox(p.x, p.y, p.username, p.radius));
  const circles = picture.people.map((p): Box => ({ left: p.x - p.radius, right: p.x + p.radius, top: p.y - p.radius, bottom: p.y + p.radius }));
  return { picture, names, circles };
}

describe('names in the graph never overlap', () => {
  it('sizes a name by its letters, wide letters wider', () => {
    expect(nameWidth('mmmm')).toBeGreaterThan(nameWidth('aaaa'));
    expect(nameWidth('aaaa')).toBeGreaterThan(nameWidth('iiii'));
    expect(nameWidth('alice')).toBeGreaterThan(0);
  });

  // The size: thirty people and two hundred conversations (different pairs), several classes.
  for (const seed of [1, 2, 3, 17, 42]) {
    it(`a class of thirty with 200 pairs talking (seed ${seed}): no two names, and no name and circle, intersect; all in the view box`, () => {
      const { picture, names, circles } = drawnBoxes(classGraph(CLASS_OF_THIRTY, 200, seed));
      expect(picture.people).toHaveLength(30);
      expect(picture.lines).toHaveLength(200);
      const clashes: string[] = [];
      for (let i = 0; i < names.length; i++) {
        for (let j = 0; j < names.length; j++) {
          const [a, b] = [picture.people[i]!.username, picture.people[j]!.username];
          if (i < j && intersects(names[i]!, names[j]!)) clashes.push(`${a}'s name / ${b}'s name`);
          if (i !== j && intersects(names[i]!, circles[j]!)) clashes.push(`${a}'s name / ${b}'s circle`);
          if (i < j && intersects(circles[i]!, circles[j]!)) clashes.push(`${a}'s circle / ${b}'s circle`);
        }
      }
      expect(clashes).toEqual([]);
      const box = picture.viewBox;
      for (const name of names) {
        expect(name.left).toBeGreaterThanOrEqual(box.x);
        expect(name.right).toBeLessThanOrEqual(box.x + box.width);
        expect(name.bottom).toBeLessThanOrEqual(box.y + box.height);
      }
      for (const circle of circles) expect(circle.top).toBeGreaterThanOrEqual(box.y);
    });
  }

  it('follows the shape of a wide band (presentation mode): the view box takes it, the people spread to fill it, names still apart', () => {
    const graph = classGraph(CLASS_OF_THIRTY, 200, 9);
    const normal = drawGraph(graph);
    const wide = drawGraph(graph, normal, 3);
    expect(wide.viewBox.width / wide.viewBox.height).toBeCloseTo(3);
    const span = (picture: typeof normal, axis: 'x' | 'y') => Math.max(...picture.people.map((p) => p[axis])) - Math.min(...picture.people.map((p) => p[axis]));
    expect(span(wide, 'x') / span(wide, 'y')).toBeGreaterThan(span(normal, 'x') / span(normal, 'y'));
    const names = wide.people.map((p) => nameBox(p.x, p.y, p.username, p.radius));
    for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) expect(intersects(names[i]!, names[j]!)).toBe(false);
    // The shape asked for, within bounds and in tenths, so a pixel's change of size moves nobody.
    expect(layoutAspect(805, 276)).toBe(2.9);
    expect(layoutAspect(806, 276)).toBe(2.9);
    expect(layoutAspect(5000, 100)).toBe(MAX_ASPECT);
    expect(layoutAspect(0, 0)).toBe(2);
  });

  it('long names too (32 characters, the longest a name can be)', () => {
    const long = CLASS_OF_THIRTY.map((name) => `${name}-${'m'.repeat(31 - name.length)}`);
    const { names } = drawnBoxes(classGraph(long, 120, 5));
    for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) expect(intersects(names[i]!, names[j]!)).toBe(false);
  });

  it('separate() pulls apart thirty people started on one point', () => {
    const piled: Placed[] = CLASS_OF_THIRTY.map((id) => ({ id, x: 100, y: 100 }));
    expect(separate(piled)).toBe(true);
    expect(overlaps(piled)).toEqual([]);
  });

  it('the grid fallback never overlaps, whatever the names', () => {
    const placed: Placed[] = [...CLASS_OF_THIRTY, 'm'.repeat(32), 'ab'].map((id, i) => ({ id, x: (i * 37) % 11, y: (i * 13) % 7 }));
    gridFallback(placed, 16 / 9);
    expect(overlaps(placed)).toEqual([]);
  });

  it('a footprint holds the circle at its largest and the name under it', () => {
    const box = footprint(0, 0, 'alice');
    const name = nameBox(0, 0, 'alice', MAX_RADIUS);
    expect(box.left).toBeLessThan(name.left);
    expect(box.right).toBeGreaterThan(name.right);
    expect(box.bottom).toBeGreaterThan(name.bottom);
    expect(box.top).toBeLessThan(-MAX_RADIUS);
  });
});
