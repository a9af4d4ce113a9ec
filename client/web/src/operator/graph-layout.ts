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
import { footprint, gridFallback, MAX_RADIUS, separate, type Placed } from './label-layout.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * The graph's proportions and middle: the layout is pulled to its centre and
 * stretched to this shape, and the view keeps it. Twice as wide as tall: the
 * graph sits under the envelope list in presentation mode, in a wide band.
 */
export const GRAPH_FRAME = { width: 1000, height: 500 } as const;
/** The frame's shape, unless the page says the graph's box has another (graph-state's drawGraph). */
export const GRAPH_ASPECT = GRAPH_FRAME.width / GRAPH_FRAME.height;
/** Stretched sideways at most this much to take the frame's shape (more would make neighbours' lines run flat). */
const MAX_STRETCH = 2.5;
/** Stretch, then room for names, this many times: the shape is within a few per cent of the frame's by the third. */
const STRETCH_ROUNDS = 3;

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

/** Circle radius for someone with `envelopes` sent plus received: area grows with traffic, up to MAX_RADIUS (the footprint's). */
export function nodeRadius(envelopes: number): number {
  return Math.min(MAX_RADIUS, 9 + 1.6 * Math.sqrt(envelopes));
}

/** Line width for a pair with `envelopes` between them, against the busiest pair's: from 2 (one envelope) to 8 (the busiest). */
export function edgeWidth(envelopes: number, busiest: number): number {
  return 2 + 6 * Math.sqrt(Math.min(1, envelopes / Math.max(1, busiest)));
}

interface LayoutNode extends SimulationNodeDatum {
  readonly id: string;
  /** Half the larger side of the person's footprint (circle and name): what the collision force keeps apart. */
  readonly reach: number;
}

/** Between two people who talk: a little more than a footprint, so linked people sit next to each other. */
const LINK_DISTANCE = 100;
/** Ticks to run: enough for a class of thirty to settle (d3's default cooling takes about 300). */
const TICKS = 300;
/**
 * Ticks when everyone was placed before (a new pair started talking): a nudge
 * from where they are. The layout runs on the page's main thread, and at the
 * start of a lesson new pairs appear every few seconds (30 people, pairs
 * added one at a time up to 200: median 33 ms a layout, against about 55 ms
 * for a full run; Node on the shared two-core machine at load average 11).
 */
const NUDGE_TICKS = 100;

/**
 * Where each person goes, in frame units (the view box follows, see
 * graph-state's viewBoxFor). d3-force places people; then no two
 * footprints (a circle and its name) may intersect: label-layout's
 * `separate`, or its grid if that does not settle.
 */
export function layoutGraph(
  nodes: readonly { id: string }[],
  pairs: readonly Pair[],
  previous: ReadonlyMap<string, Point> = new Map(),
  /** Width over height of the box the graph is drawn in: the layout is stretched to it. */
  aspect: number = GRAPH_ASPECT,
): Map<string, Point> {
  const known = new Set(nodes.map((node) => node.id));
  const linked = pairs.filter((pair) => known.has(pair.a) && known.has(pair.b));
  const starts = startingPoints(
    nodes.map((node) => node.id),
    linked,
  );
  const simNodes: LayoutNode[] = nodes.map((node) => {
    const at = previous.get(node.id) ?? starts.get(node.id)!;
    const box = footprint(0, 0, node.id);
    return { id: node.id, reach: Math.max(box.right - box.left, box.bottom - box.top) / 2, x: at.x, y: at.y };
  });
  const links = linked.map((pair) => ({ source: pair.a, target: pair.b }));
  const degree = new Map<string, number>();
  for (const pair of linked) for (const end of [pair.a, pair.b]) degree.set(end, (degree.get(end) ?? 0) + 1);
  const everyoneKnown = simNodes.every((node) => previous.has(node.id));

  const simulation = forceSimulation(simNodes)
    .force(
      'link',
      forceLink<LayoutNode, { source: string | LayoutNode; target: string | LayoutNode }>(links)
        .id((node) => node.id)
        .distance(LINK_DISTANCE)
        // d3's default divides by the busier end's degree; in a dense class that lets the charge win, so links pull a little harder.
        .strength((link) => 1.5 / Math.min(degree.get(idOf(link.source)) ?? 1, degree.get(idOf(link.target)) ?? 1)),
    )
    .force('charge', forceManyBody().strength(-150).distanceMax(500))
    // Pull everyone to the middle, more up and down than sideways, so the graph takes the frame's wide shape and loners stay in view.
    .force('x', forceX(GRAPH_FRAME.width / 2).strength(0.03))
    .force('y', forceY(GRAPH_FRAME.height / 2).strength(0.06))
    .force('collide', forceCollide<LayoutNode>((node) => node.reach * 0.7).iterations(2))
    // A small nudge when someone new appeared near known people; a full run otherwise.
    .alpha(everyoneKnown ? 0.25 : 1)
    .stop();
  simulation.tick(everyoneKnown ? NUDGE_TICKS : TICKS);

  const placed: Placed[] = simNodes.map((node) => ({ id: node.id, x: node.x ?? 0, y: node.y ?? 0 }));
  // Names given room push people up and down as well as sideways: stretch again after, and give room again.
  let apart = true;
  for (let round = 0; round < STRETCH_ROUNDS && apart; round++) {
    stretchTo(placed, aspect);
    apart = separate(placed);
  }
  if (!apart) gridFallback(placed, aspect);
  return new Map(placed.map((node) => [node.id, { x: node.x, y: node.y }]));
}

/**
 * The forces leave a roundish cloud; the frame is wide. Spreading people
 * sideways (about the middle, before names are given room) fills the frame,
 * so the view scales everything up more and names read bigger.
 */
function stretchTo(placed: Placed[], aspect: number): void {
  if (placed.length < 3) return;
  const xs = placed.map((node) => node.x);
  const ys = placed.map((node) => node.y);
  const spanX = Math.max(...xs) - Math.min(...xs);
  const spanY = Math.max(...ys) - Math.min(...ys);
  if (spanX <= 0 || spanY <= 0) return;
  const stretch = Math.min(MAX_STRETCH, aspect / (spanX / spanY));
  if (stretch <= 1) return;
  const middle = (Math.max(...xs) + Math.min(...xs)) / 2;
  for (const node of placed) node.x = middle + (node.x - middle) * stretch;
}

/** A link's end: its id before d3 resolves it to the node, the node after. */
function idOf(end: string | LayoutNode): string {
  return typeof end === 'string' ? end : end.id;
}

/**
 * Where a newcomer starts: each group of people who talk (a connected
 * component) around its own point on a ring, so separate groups do not start
 * tangled through each other (the forces alone can get stuck in such a knot).
 */
function startingPoints(ids: readonly string[], pairs: readonly Pair[]): Map<string, Point> {
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
  const ring = groups.length > 1 ? Math.min(GRAPH_FRAME.width, GRAPH_FRAME.height) / 3 : 0;
  groups.forEach((people, g) => {
    const angle = (2 * Math.PI * g) / groups.length;
    const cx = GRAPH_FRAME.width / 2 + ring * Math.cos(angle);
    const cy = GRAPH_FRAME.height / 2 + ring * Math.sin(angle);
    // A small spiral within the group (d3's own phyllotaxis idea), so nobody starts on top of anyone.
    people.forEach((id, i) => {
      const r = 12 * Math.sqrt(i + 0.5);
      const a = i * Math.PI * (3 - Math.sqrt(5));
      starts.set(id, { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
    });
  });
  return starts;
}
