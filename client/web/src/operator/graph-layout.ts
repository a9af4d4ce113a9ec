/**
 * Where to draw each account in the who-talks-to-whom graph. d3-force does
 * the physics (linked people pull together, everyone pushes apart); React
 * draws the SVG from the positions this returns. The layout runs to rest in
 * one go rather than animating, so a projected graph does not jiggle, and it
 * starts from the previous positions so a live update moves people as little
 * as it can.
 */
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3-force';
import type { GraphEdge } from './schemas.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Frame {
  readonly width: number;
  readonly height: number;
  /** Room around the outermost circles for their name labels. */
  readonly margin: number;
}

export const GRAPH_FRAME: Frame = { width: 1000, height: 560, margin: 80 };

/** One line per pair of people, whichever way the envelopes went. */
export interface Pair {
  readonly a: string;
  readonly b: string;
  readonly aToB: number;
  readonly bToA: number;
  readonly total: number;
  /** Envelopes marked as receipts, both ways: not in `total` (a receipt is not conversation). */
  readonly receipts: number;
  readonly bytes: number;
  readonly lastAt: number;
}

export function pairEdges(edges: readonly GraphEdge[]): Pair[] {
  const pairs = new Map<string, { a: string; b: string; aToB: number; bToA: number; receipts: number; bytes: number; lastAt: number }>();
  for (const edge of edges) {
    const [a, b] = edge.from < edge.to ? [edge.from, edge.to] : [edge.to, edge.from];
    const key = JSON.stringify([a, b]);
    const pair = pairs.get(key) ?? { a, b, aToB: 0, bToA: 0, receipts: 0, bytes: 0, lastAt: 0 };
    pair.receipts += edge.receipts;
    if (edge.from === a) pair.aToB += edge.envelopes;
    else pair.bToA += edge.envelopes;
    pair.bytes += edge.bytes;
    pair.lastAt = Math.max(pair.lastAt, edge.lastAt);
    pairs.set(key, pair);
  }
  return [...pairs.values()].map((pair) => ({ ...pair, total: pair.aToB + pair.bToA }));
}

/** Circle radius for someone with `envelopes` sent plus received: area grows with traffic, within bounds. */
export function nodeRadius(envelopes: number): number {
  return Math.min(46, 18 + 5 * Math.sqrt(envelopes));
}

/** Line width for a pair with `envelopes` between them. */
export function edgeWidth(envelopes: number): number {
  return Math.min(26, 2 + 2.2 * Math.sqrt(envelopes));
}

interface LayoutNode extends SimulationNodeDatum {
  readonly id: string;
  readonly radius: number;
}

/** Between two people who talk: a little more than two labels side by side. */
const LINK_DISTANCE = 200;
/** Added to a circle's radius for collisions, so labels under neighbouring circles do not overlap. */
const LABEL_ROOM = 75;
/** Ticks to run: enough for a few dozen people to settle (d3's default cooling takes about 300). */
const TICKS = 300;

export function layoutGraph(
  nodes: readonly { id: string; envelopes: number }[],
  pairs: readonly Pair[],
  previous: ReadonlyMap<string, Point> = new Map(),
  frame: Frame = GRAPH_FRAME,
): Map<string, Point> {
  const known = new Set(nodes.map((node) => node.id));
  const linked = pairs.filter((pair) => known.has(pair.a) && known.has(pair.b));
  const starts = startingPoints(
    nodes.map((node) => node.id),
    linked,
    frame,
  );
  const simNodes: LayoutNode[] = nodes.map((node) => {
    const at = previous.get(node.id) ?? starts.get(node.id)!;
    return { id: node.id, radius: nodeRadius(node.envelopes), x: at.x, y: at.y };
  });
  const links = linked.map((pair) => ({ source: pair.a, target: pair.b }));
  const everyoneKnown = simNodes.every((node) => previous.has(node.id));

  const simulation = forceSimulation(simNodes)
    .force(
      'link',
      forceLink<LayoutNode, { source: string | LayoutNode; target: string | LayoutNode }>(links)
        .id((node) => node.id)
        .distance(LINK_DISTANCE),
    )
    .force('charge', forceManyBody().strength(-500).distanceMax(600))
    // Pull everyone gently to the middle, so people with no conversations stay in view.
    .force('x', forceX(frame.width / 2).strength(0.012))
    .force('y', forceY(frame.height / 2).strength(0.02))
    // Leave room for the name and counts under each circle (about 190 frame units wide).
    .force('collide', forceCollide<LayoutNode>((node) => node.radius + LABEL_ROOM))
    // A small nudge when only numbers changed; a full run when someone new appeared.
    .alpha(everyoneKnown ? 0.25 : 1)
    .stop();
  simulation.tick(TICKS);
  return fitToFrame(simNodes, frame);
}

/**
 * Where a newcomer starts: each group of people who talk (a connected
 * component) around its own point on a ring, so separate groups do not start
 * tangled through each other (the forces alone can get stuck in such a knot).
 */
function startingPoints(ids: readonly string[], pairs: readonly Pair[], frame: Frame): Map<string, Point> {
  const group = new Map(ids.map((id) => [id, id]));
  const root = (id: string): string => {
    let at = id;
    while (group.get(at) !== at) at = group.get(at)!;
    return at;
  };
  for (const pair of pairs) group.set(root(pair.a), root(pair.b));
  const members = new Map<string, string[]>();
  for (const id of ids) members.set(root(id), [...(members.get(root(id)) ?? []), id]);
  const groups = [...members.values()];
  const starts = new Map<string, Point>();
  const ring = groups.length > 1 ? Math.min(frame.width, frame.height) / 3 : 0;
  groups.forEach((people, g) => {
    const angle = (2 * Math.PI * g) / groups.length;
    const cx = frame.width / 2 + ring * Math.cos(angle);
    const cy = frame.height / 2 + ring * Math.sin(angle);
    // A small spiral within the group (d3's own phyllotaxis idea), so nobody starts on top of anyone.
    people.forEach((id, i) => {
      const r = 12 * Math.sqrt(i + 0.5);
      const a = i * Math.PI * (3 - Math.sqrt(5));
      starts.set(id, { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
    });
  });
  return starts;
}

/** Scales and centres the layout into the frame (never enlarging it: the view zooms in on a small group instead, see graph-state's viewBox). */
function fitToFrame(nodes: readonly LayoutNode[], frame: Frame): Map<string, Point> {
  const positions = new Map<string, Point>();
  if (nodes.length === 0) return positions;
  const xs = nodes.map((node) => node.x ?? 0);
  const ys = nodes.map((node) => node.y ?? 0);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  const roomX = frame.width - 2 * frame.margin;
  const roomY = frame.height - 2 * frame.margin;
  const scale = Math.min(1, spanX > 0 ? roomX / spanX : 1, spanY > 0 ? roomY / spanY : 1);
  for (const node of nodes) {
    positions.set(node.id, {
      x: frame.width / 2 + ((node.x ?? 0) - (minX + maxX) / 2) * scale,
      y: frame.height / 2 + ((node.y ?? 0) - (minY + maxY) / 2) * scale,
    });
  }
  return positions;
}
