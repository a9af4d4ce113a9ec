/**
 * The who-talks-to-whom graph as the page keeps it: the server's answer to
 * GET /graph, kept current by folding in each envelope the stream reports,
 * and laid out for drawing. Everything here comes from metadata alone.
 */
import { GRAPH_FRAME, layoutGraph, nodeRadius, pairEdges, type Pair, type Point } from './graph-layout.js';
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
  readonly unattributed: number;
  /** Envelopes marked as receipts: drawn as no line and counted in no circle. */
  readonly receipts: number;
  readonly positions: ReadonlyMap<string, Point>;
  /** The part of the frame to show: zoomed in on a small group, so a class of three is not three dots in a big box. */
  readonly viewBox: ViewBox;
}

export interface ViewBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Zoom at most this much: labels stay in proportion to the circles, and two people are not drawn a screen apart. */
export const MAX_ZOOM = 1.6;
/** Room beyond the circles: half a label's width sideways, the two label lines below. */
const LABEL_SIDE = 110;
const LABEL_BELOW = 70;

const FULL_FRAME: ViewBox = { x: 0, y: 0, width: GRAPH_FRAME.width, height: GRAPH_FRAME.height };

/** The smallest box with the frame's proportions that holds everyone with their labels (never smaller than 1/MAX_ZOOM of the frame). */
export function viewBoxFor(people: readonly PersonDot[]): ViewBox {
  if (people.length === 0) return FULL_FRAME;
  const left = Math.min(...people.map((p) => p.x - Math.max(p.radius, LABEL_SIDE)));
  const right = Math.max(...people.map((p) => p.x + Math.max(p.radius, LABEL_SIDE)));
  const top = Math.min(...people.map((p) => p.y - p.radius - 20));
  const bottom = Math.max(...people.map((p) => p.y + p.radius + LABEL_BELOW));
  const aspect = GRAPH_FRAME.width / GRAPH_FRAME.height;
  let width = Math.max(right - left, (bottom - top) * aspect, GRAPH_FRAME.width / MAX_ZOOM);
  width = Math.min(width, GRAPH_FRAME.width);
  const height = width / aspect;
  return { x: (left + right) / 2 - width / 2, y: (top + bottom) / 2 - height / 2, width, height };
}

export const EMPTY_PICTURE: GraphPicture = { people: [], lines: [], selfTalk: new Map(), unattributed: 0, receipts: 0, positions: new Map(), viewBox: FULL_FRAME };

/** Lays the graph out, starting from the previous picture so a live update moves people as little as it can. */
export function drawGraph(graph: OperatorGraph, previous: GraphPicture = EMPTY_PICTURE): GraphPicture {
  const allPairs = pairEdges(graph.edges);
  const selfTalk = new Map(allPairs.filter((pair) => pair.a === pair.b).map((pair) => [pair.a, pair.total]));
  // A pair with receipts and no message between them gets no line: receipts are not conversation.
  const pairs = allPairs.filter((pair) => pair.a !== pair.b && pair.total > 0);
  const traffic = (node: GraphNode) => node.sent + node.received;
  const positions = layoutGraph(
    graph.nodes.map((node) => ({ id: node.username, envelopes: traffic(node) })),
    pairs,
    previous.positions,
  );
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
  return { people, lines, selfTalk, unattributed: graph.unattributed, receipts: graph.receipts, positions, viewBox: viewBoxFor(people) };
}
