/**
 * The who-talks-to-whom graph as the page keeps it: the server's answer to
 * GET /graph, kept current by folding in each envelope the stream reports,
 * and laid out for drawing. Everything here comes from metadata alone.
 */
import { GRAPH_ASPECT, GRAPH_FRAME, layoutGraph, nodeRadius, pairEdges, type Pair, type Point } from './graph-layout.js';
import { footprint } from './label-layout.js';
import type { GraphEdge, GraphNode, OperatorEnvelope, OperatorGraph } from './schemas.js';

export const EMPTY_GRAPH: OperatorGraph = { nodes: [], edges: [], unattributed: 0, receipts: 0 };

/**
 * Counts one envelope the way the server's graph does: an edge from sender to
 * recipient, or "unattributed" when the sender was hidden. A marked receipt
 * counts on its edge's `receipts` and in the total of receipts, not as
 * conversation: no person's circle grows with it.
 */
export function addEnvelopeToGraph(graph: OperatorGraph, envelope: OperatorEnvelope): OperatorGraph {
  const receipt = envelope.receipt === true;
  let nodes = withNode(graph.nodes, envelope.recipient, envelope.sentAt);
  if (!receipt) nodes = nodes.map((node) => (node.username === envelope.recipient ? { ...node, received: node.received + 1 } : node));
  if (envelope.sender === null) return { ...graph, nodes, unattributed: graph.unattributed + 1 };

  const sender = envelope.sender;
  nodes = withNode(nodes, sender, envelope.sentAt);
  if (!receipt) nodes = nodes.map((node) => (node.username === sender ? { ...node, sent: node.sent + 1 } : node));
  const existing = graph.edges.find((edge) => edge.from === sender && edge.to === envelope.recipient);
  const edge: GraphEdge = existing
    ? {
        ...existing,
        envelopes: existing.envelopes + (receipt ? 0 : 1),
        receipts: existing.receipts + (receipt ? 1 : 0),
        bytes: existing.bytes + envelope.size,
        firstAt: Math.min(existing.firstAt, envelope.sentAt),
        lastAt: Math.max(existing.lastAt, envelope.sentAt),
      }
    : { from: sender, to: envelope.recipient, envelopes: receipt ? 0 : 1, receipts: receipt ? 1 : 0, bytes: envelope.size, firstAt: envelope.sentAt, lastAt: envelope.sentAt };
  const edges = existing ? graph.edges.map((e) => (e === existing ? edge : e)) : [...graph.edges, edge];
  return { ...graph, nodes, edges, receipts: graph.receipts + (receipt ? 1 : 0) };
}

/** An account the graph has not seen yet (it registered after the page loaded): its sign-up time is not in the envelope, so its first envelope stands in. */
function withNode(nodes: readonly GraphNode[], username: GraphNode['username'], seenAt: number): GraphNode[] {
  if (nodes.some((node) => node.username === username)) return [...nodes];
  return [...nodes, { username, createdAt: seenAt, ageBand: null, sent: 0, received: 0 }];
}

export interface PersonDot extends Point {
  readonly username: string;
  readonly sent: number;
  readonly received: number;
  readonly radius: number;
}

export interface PairLine {
  readonly pair: Pair;
  readonly from: Point;
  readonly to: Point;
}

/** What the view draws: positions computed once per change, so the view only renders. */
export interface GraphPicture {
  readonly people: readonly PersonDot[];
  readonly lines: readonly PairLine[];
  /** Envelopes between a person and their own other devices. */
  readonly selfTalk: ReadonlyMap<string, number>;
  /** Envelopes whose sender was hidden (sealed sender): the server cannot name who sent them, so they make no line. */
  readonly unattributed: number;
  /** Envelopes marked as receipts: drawn as no line and counted in no circle. */
  readonly receipts: number;
  /** The most envelopes between any two people: line widths are relative to it. */
  readonly busiest: number;
  readonly positions: ReadonlyMap<string, Point>;
  /** Who is drawn, which pairs are linked and the box's shape: while it stays the same, a live update keeps everyone where they are. */
  readonly shape: string;
  /** The part of the frame to show: everyone with their names, in the proportions of the box it is drawn in. */
  readonly viewBox: ViewBox;
}

export interface ViewBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Zoom in at most this much on a small group: names stay in proportion to the page, and two people are not drawn a screen apart. */
export const MAX_ZOOM = 2.2;
/** Clear space inside the view box around the outermost footprints. */
const VIEW_MARGIN = 12;

const FULL_FRAME: ViewBox = { x: 0, y: 0, width: GRAPH_FRAME.width, height: GRAPH_FRAME.height };

/** The smallest box with the frame's proportions that holds every footprint (circle and name), never narrower than the frame / MAX_ZOOM. */
export function viewBoxFor(people: readonly Pick<PersonDot, 'username' | 'x' | 'y'>[], aspect: number = GRAPH_ASPECT): ViewBox {
  if (people.length === 0) return FULL_FRAME;
  const boxes = people.map((p) => footprint(p.x, p.y, p.username));
  const left = Math.min(...boxes.map((b) => b.left)) - VIEW_MARGIN;
  const right = Math.max(...boxes.map((b) => b.right)) + VIEW_MARGIN;
  const top = Math.min(...boxes.map((b) => b.top)) - VIEW_MARGIN;
  const bottom = Math.max(...boxes.map((b) => b.bottom)) + VIEW_MARGIN;
  const width = Math.max(right - left, (bottom - top) * aspect, GRAPH_FRAME.width / MAX_ZOOM);
  const height = width / aspect;
  return { x: (left + right) / 2 - width / 2, y: (top + bottom) / 2 - height / 2, width, height };
}

export const EMPTY_PICTURE: GraphPicture = {
  people: [],
  lines: [],
  selfTalk: new Map(),
  unattributed: 0,
  receipts: 0,
  busiest: 0,
  positions: new Map(),
  shape: '',
  viewBox: FULL_FRAME,
};

/** The shapes the layout follows: a box narrower or wider than these is letterboxed instead (a wide band in presentation mode is about 3:1). */
export const MIN_ASPECT = 1.2;
export const MAX_ASPECT = 3.5;

/** The aspect to lay out for, from the drawn box's width and height: within MIN_ASPECT..MAX_ASPECT, in tenths, so a pixel's change of size moves nobody. */
export function layoutAspect(width: number, height: number): number {
  if (!(width > 0) || !(height > 0)) return GRAPH_ASPECT;
  return Math.round(Math.min(MAX_ASPECT, Math.max(MIN_ASPECT, width / height)) * 10) / 10;
}

/** Every envelope the server logged (within its retention): each counted once by its recipient, marked receipts apart. */
export function totalEnvelopes(graph: OperatorGraph): number {
  return graph.nodes.reduce((sum, node) => sum + node.received, 0) + graph.receipts;
}

/**
 * Lays the graph out, starting from the previous picture so a live update
 * moves people as little as it can; when nobody new appeared and no new pair
 * started talking, nobody moves at all (and no layout runs: thirty people
 * chatting send the page many updates a second).
 */
export function drawGraph(graph: OperatorGraph, previous: GraphPicture = EMPTY_PICTURE, aspect: number = GRAPH_ASPECT): GraphPicture {
  const allPairs = pairEdges(graph.edges);
  const selfTalk = new Map(allPairs.filter((pair) => pair.a === pair.b).map((pair) => [pair.a, pair.total]));
  // A pair with receipts and no message between them gets no line: receipts are not conversation.
  const pairs = allPairs.filter((pair) => pair.a !== pair.b && pair.total > 0);
  const shape = JSON.stringify([aspect, graph.nodes.map((node) => node.username).sort(), pairs.map((pair) => [pair.a, pair.b]).sort()]);
  const positions =
    shape === previous.shape
      ? previous.positions
      : layoutGraph(
          graph.nodes.map((node) => ({ id: node.username })),
          pairs,
          previous.positions,
          aspect,
        );
  const traffic = (node: GraphNode) => node.sent + node.received;
  const people = graph.nodes.map((node) => ({
    username: node.username,
    sent: node.sent,
    received: node.received,
    radius: nodeRadius(traffic(node)),
    ...positions.get(node.username)!,
  }));
  const lines = pairs.flatMap((pair) => {
    const from = positions.get(pair.a);
    const to = positions.get(pair.b);
    return from && to ? [{ pair, from, to }] : [];
  });
  const busiest = Math.max(0, ...pairs.map((pair) => pair.total));
  const viewBox = shape === previous.shape ? previous.viewBox : viewBoxFor(people, aspect);
  return { people, lines, selfTalk, unattributed: graph.unattributed, receipts: graph.receipts, busiest, positions, shape, viewBox };
}
