import { describe, expect, it } from 'vitest';
import { GRAPH_FRAME } from './graph-layout.js';
import { addEnvelopeToGraph, drawGraph, EMPTY_GRAPH, MAX_ZOOM, totalEnvelopes, viewBoxFor } from './graph-state.js';
import { footprint } from './label-layout.js';
import { envelope } from './test-data.js';

describe('the live graph', () => {
  it('counts a streamed envelope as the server does: an edge, a sent and a received', () => {
    let graph = addEnvelopeToGraph(EMPTY_GRAPH, envelope(1, 'alice', 'bob', { size: 100 }));
    graph = addEnvelopeToGraph(graph, envelope(2, 'alice', 'bob', { size: 300 }));
    graph = addEnvelopeToGraph(graph, envelope(3, 'bob', 'alice'));
    expect(graph.nodes.map((node) => [node.username, node.sent, node.received])).toEqual([
      ['bob', 1, 2],
      ['alice', 2, 1],
    ]);
    expect(graph.edges.map((edge) => [edge.from, edge.to, edge.envelopes, edge.bytes])).toEqual([
      ['alice', 'bob', 2, 400],
      ['bob', 'alice', 1, 512],
    ]);
    expect(graph.unattributed).toBe(0);
  });

  it('counts a marked receipt apart: no circle grows, and a pair with only receipts gets no line', () => {
    let graph = addEnvelopeToGraph(EMPTY_GRAPH, envelope(1, 'alice', 'bob'));
    graph = addEnvelopeToGraph(graph, envelope(2, 'bob', 'alice', { receipt: true, size: 128 }));
    graph = addEnvelopeToGraph(graph, envelope(3, 'carol', 'dave', { receipt: true, size: 128 }));
    expect(graph.nodes.map((node) => [node.username, node.sent, node.received])).toEqual([
      ['bob', 0, 1],
      ['alice', 1, 0],
      ['dave', 0, 0],
      ['carol', 0, 0],
    ]);
    expect(graph.edges.map((edge) => [edge.from, edge.to, edge.envelopes, edge.receipts])).toEqual([
      ['alice', 'bob', 1, 0],
      ['bob', 'alice', 0, 1],
      ['carol', 'dave', 0, 1],
    ]);
    expect(graph.receipts).toBe(2);
    const picture = drawGraph(graph);
    expect(picture.lines.map((line) => [line.pair.a, line.pair.b, line.pair.total, line.pair.receipts])).toEqual([['alice', 'bob', 1, 1]]);
    expect(picture.receipts).toBe(2);
  });

  it('draws no line for a hidden sender, only counts it and the recipient', () => {
    const graph = addEnvelopeToGraph(EMPTY_GRAPH, envelope(1, null, 'bob'));
    expect(graph).toMatchObject({ edges: [], unattributed: 1 });
    expect(graph.nodes.map((node) => [node.username, node.received])).toEqual([['bob', 1]]);
    expect(drawGraph(graph).lines).toEqual([]);
  });

  it('places everyone and draws one line per pair, keeping positions across an update', () => {
    let graph = addEnvelopeToGraph(EMPTY_GRAPH, envelope(1, 'alice', 'bob'));
    graph = addEnvelopeToGraph(graph, envelope(2, 'bob', 'alice'));
    graph = addEnvelopeToGraph(graph, envelope(3, 'carol', 'carol'));
    const picture = drawGraph(graph);
    expect(picture.people.map((p) => p.username).sort()).toEqual(['alice', 'bob', 'carol']);
    expect(picture.lines.map((line) => [line.pair.a, line.pair.b, line.pair.total])).toEqual([['alice', 'bob', 2]]);
    expect(picture.selfTalk.get('carol')).toBe(1);
    const again = drawGraph(addEnvelopeToGraph(graph, envelope(4, 'alice', 'bob')), picture);
    for (const person of again.people) {
      const before = picture.positions.get(person.username)!;
      expect(Math.hypot(person.x - before.x, person.y - before.y)).toBeLessThan(60);
    }
  });

  it('shows a small group in a box of the frame’s proportions, at most MAX_ZOOM times closer, with everyone and their names inside', () => {
    const picture = drawGraph(addEnvelopeToGraph(EMPTY_GRAPH, envelope(1, 'alice', 'bob')));
    const box = picture.viewBox;
    expect(box.width).toBeCloseTo(GRAPH_FRAME.width / MAX_ZOOM);
    expect(box.width / box.height).toBeCloseTo(GRAPH_FRAME.width / GRAPH_FRAME.height);
    for (const person of picture.people) {
      const print = footprint(person.x, person.y, person.username);
      expect(print.left).toBeGreaterThan(box.x);
      expect(print.right).toBeLessThan(box.x + box.width);
      expect(print.top).toBeGreaterThan(box.y);
      expect(print.bottom).toBeLessThan(box.y + box.height);
    }
    // A group spread wider than the frame is shown whole: the box grows (the SVG scales it down).
    const wide = viewBoxFor([
      { username: 'a', x: 0, y: 0 },
      { username: 'b', x: 2000, y: 100 },
    ]);
    expect(wide.x).toBeLessThan(footprint(0, 0, 'a').left);
    expect(wide.x + wide.width).toBeGreaterThan(footprint(2000, 100, 'b').right);
    expect(wide.width / wide.height).toBeCloseTo(GRAPH_FRAME.width / GRAPH_FRAME.height);
  });

  it('moves nobody (and runs no layout) while the same people and pairs only exchange more', () => {
    let graph = addEnvelopeToGraph(EMPTY_GRAPH, envelope(1, 'alice', 'bob'));
    graph = addEnvelopeToGraph(graph, envelope(2, 'bob', 'carol'));
    const first = drawGraph(graph);
    const busier = drawGraph(addEnvelopeToGraph(addEnvelopeToGraph(graph, envelope(3, 'alice', 'bob')), envelope(4, null, 'carol')), first);
    expect(busier.positions).toBe(first.positions);
    expect(busier.viewBox).toBe(first.viewBox);
    expect(busier.lines.find((line) => line.pair.a === 'alice')!.pair.total).toBe(2);
    expect(busier.busiest).toBe(2);
    expect(busier.unattributed).toBe(1);
    // A new pair is a new shape: laid out again.
    const newPair = drawGraph(addEnvelopeToGraph(graph, envelope(5, 'alice', 'carol')), first);
    expect(newPair.positions).not.toBe(first.positions);
  });

  it('totals every envelope the server logged: each counted once by its recipient, marked receipts apart, hidden senders included', () => {
    let graph = addEnvelopeToGraph(EMPTY_GRAPH, envelope(1, 'alice', 'bob'));
    graph = addEnvelopeToGraph(graph, envelope(2, 'bob', 'alice', { receipt: true }));
    graph = addEnvelopeToGraph(graph, envelope(3, null, 'alice'));
    graph = addEnvelopeToGraph(graph, envelope(4, 'carol', 'carol'));
    expect(totalEnvelopes(graph)).toBe(4);
  });

  it('stays bounded while a class of thirty chats for hours: one node per person, one edge per direction of a pair, the total exact', () => {
    const people = Array.from({ length: 30 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    let graph = EMPTY_GRAPH;
    let seq = 0;
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < people.length; i++) {
        const to = people[(i + 1 + (round % 7)) % people.length]!;
        graph = addEnvelopeToGraph(graph, envelope(++seq, round % 5 === 0 ? null : people[i]!, to, { receipt: round % 3 === 0 && round % 5 !== 0 ? true : round % 5 === 0 ? null : false }));
      }
    }
    expect(seq).toBe(6_000);
    expect(graph.nodes).toHaveLength(30);
    expect(graph.edges.length).toBeLessThanOrEqual(30 * 7);
    expect(totalEnvelopes(graph)).toBe(6_000);
    const picture = drawGraph(graph);
    expect(picture.people).toHaveLength(30);
    expect(picture.lines.length).toBeLessThanOrEqual(30 * 7);
  });
});
