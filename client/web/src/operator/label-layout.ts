/**
 * Room for each person's name in the who-talks-to-whom graph, so no two names
 * (or a name and someone else's circle) ever overlap. Each person takes a
 * footprint: the box around their circle and the name under it, sized from
 * the name's letters (an upper bound of the page's bold font, DejaVu Sans
 * Bold, the widest of the fonts the page asks for). After the force layout,
 * `separate` pushes apart any two footprints that still touch; if that does
 * not settle, `gridFallback` lays them out on a grid whose cells are as big as
 * the largest footprint, which cannot overlap. So the answer never has two
 * footprints intersecting (checked by `overlaps` before returning, and tested).
 * Everything is in frame units: the SVG scales all of it alike, so boxes that
 * do not intersect here do not intersect on screen either.
 */

/** The names' size in frame units (CSS `.operator-graph-name` draws them at this size). */
export const NAME_FONT = 22;
/** Between the circle's bottom and the name's top edge. */
export const NAME_GAP = 4;
/** The name's line height: the font's ascent plus descent (DejaVu Sans: about 1.17 em). */
export const NAME_HEIGHT = Math.ceil(NAME_FONT * 1.2);
/** The largest circle (graph-layout's nodeRadius never exceeds it): footprints use it, so a busier person needs no new layout. */
export const MAX_RADIUS = 20;
/** Clear space kept around each footprint, so neighbouring names do not touch. */
export const FOOTPRINT_PAD = 4;

/**
 * Advance widths in em, rounded up from DejaVu Sans Bold (2048 units per em):
 * m 2134, w 1833, most lowercase letters and digits at most 1466, f/r/t at most
 * 1010, i/j/l 702, '-' 852, '_' 1024. Liberation Sans and the system UI fonts
 * are narrower, so a name never takes more room than this says.
 */
function advance(char: string): number {
  if (char === 'm') return 1.05;
  if (char === 'w') return 0.9;
  if ('ijl'.includes(char)) return 0.35;
  if ('frt-'.includes(char)) return 0.5;
  if (/^[a-z0-9_]$/.test(char)) return 0.72;
  return 1.1;
}

/** Names measured so far: `separate` asks for each name's box thousands of times. */
const widths = new Map<string, number>();
/** More names than a server lists at once (MAX_OPERATOR_ACCOUNTS, 5,000): past it the cache starts again, so it stays bounded. */
const MAX_MEASURED = 10_000;

/** The width a name takes in frame units, at NAME_FONT. */
export function nameWidth(name: string): number {
  let width = widths.get(name);
  if (width === undefined) {
    if (widths.size >= MAX_MEASURED) widths.clear();
    let em = 0;
    for (const char of name) em += advance(char);
    width = Math.ceil(em * NAME_FONT);
    widths.set(name, width);
  }
  return width;
}

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** Where a name's text sits under a circle of `radius` centred at (x, y): centred under it (inside the footprint, as radius <= MAX_RADIUS). */
export function nameBox(x: number, y: number, name: string, radius = MAX_RADIUS): Box {
  const half = nameWidth(name) / 2;
  const top = y + Math.min(radius, MAX_RADIUS) + NAME_GAP;
  return { left: x - half, right: x + half, top, bottom: top + NAME_HEIGHT };
}

/** A person's footprint: their circle (at its largest) and their name, with clear space around. */
export function footprint(x: number, y: number, name: string): Box {
  const half = Math.max(MAX_RADIUS, nameWidth(name) / 2) + FOOTPRINT_PAD;
  return { left: x - half, right: x + half, top: y - MAX_RADIUS - FOOTPRINT_PAD, bottom: y + MAX_RADIUS + NAME_GAP + NAME_HEIGHT + FOOTPRINT_PAD };
}

/** True when two boxes share any area (touching edges do not count). */
export function intersects(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

export interface Placed {
  readonly id: string;
  x: number;
  y: number;
}

/** Every pair of footprints that intersect, by index. */
export function overlaps(nodes: readonly Placed[]): [number, number][] {
  const boxes = nodes.map((node) => footprint(node.x, node.y, node.id));
  const found: [number, number][] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) if (intersects(boxes[i]!, boxes[j]!)) found.push([i, j]);
  }
  return found;
}

/** Passes of `separate`: a dense class of thirty settles in a few dozen; more means it is stuck (then the grid). */
const SEPARATE_PASSES = 300;
/** Pushed a hair further than the overlap, so rounding cannot leave two boxes touching. */
const NUDGE = 0.5;

/**
 * Moves footprints apart until none intersect: each intersecting pair moves
 * apart, half each, along the axis where they overlap least (the smallest
 * move). Deterministic: the same input gives the same answer. Returns false if
 * it did not settle within SEPARATE_PASSES.
 */
export function separate(nodes: Placed[]): boolean {
  for (let pass = 0; pass < SEPARATE_PASSES; pass++) {
    let moved = false;
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const p = nodes[i]!;
        const q = nodes[j]!;
        const a = footprint(p.x, p.y, p.id);
        const b = footprint(q.x, q.y, q.id);
        if (!intersects(a, b)) continue;
        moved = true;
        const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (overlapX <= overlapY) {
          const shift = overlapX / 2 + NUDGE;
          const sign = p.x < q.x || (p.x === q.x && i < j) ? 1 : -1;
          p.x -= sign * shift;
          q.x += sign * shift;
        } else {
          const shift = overlapY / 2 + NUDGE;
          const sign = p.y < q.y || (p.y === q.y && i < j) ? 1 : -1;
          p.y -= sign * shift;
          q.y += sign * shift;
        }
      }
    }
    if (!moved) return true;
  }
  return overlaps(nodes).length === 0;
}

/**
 * The last resort: everyone on a grid in reading order of where the layout put
 * them, each cell as large as the largest footprint, so none can intersect.
 */
export function gridFallback(nodes: Placed[], aspect: number): void {
  if (nodes.length === 0) return;
  const boxes = nodes.map((node) => footprint(0, 0, node.id));
  const cellWidth = Math.max(...boxes.map((box) => box.right - box.left));
  const cellHeight = Math.max(...boxes.map((box) => box.bottom - box.top));
  const columns = Math.max(1, Math.round(Math.sqrt((nodes.length * aspect * cellHeight) / cellWidth)));
  const order = [...nodes].sort((p, q) => p.y - q.y || p.x - q.x);
  const rows = Math.ceil(order.length / columns);
  const sorted = Array.from({ length: rows }, (_, row) => order.slice(row * columns, (row + 1) * columns).sort((p, q) => p.x - q.x)).flat();
  sorted.forEach((node, i) => {
    node.x = (i % columns) * cellWidth;
    node.y = Math.floor(i / columns) * cellHeight;
  });
}
