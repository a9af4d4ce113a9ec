/**
 * The graph by keyboard: Tab reaches one person (the selected one, else the
 * first by name: a roving tab stop, so thirty people are not thirty Tab
 * presses), the arrow keys move to the nearest person that way on screen,
 * Enter or Space opens their timeline, + and - zoom, 0 shows everyone again.
 * Pure functions, tested without a page.
 */
import type { Point } from './graph-layout.js';

export type Direction = 'left' | 'right' | 'up' | 'down';

export const ARROWS: Readonly<Record<string, Direction>> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/** What a key does in the graph, or null for keys it leaves to the browser. */
export type GraphKey = { readonly kind: 'move'; readonly direction: Direction } | { readonly kind: 'select' } | { readonly kind: 'zoom'; readonly by: 'in' | 'out' | 'reset' };

export function graphKey(key: string): GraphKey | null {
  const direction = ARROWS[key];
  if (direction) return { kind: 'move', direction };
  if (key === 'Enter' || key === ' ') return { kind: 'select' };
  if (key === '+' || key === '=') return { kind: 'zoom', by: 'in' };
  if (key === '-' || key === '_') return { kind: 'zoom', by: 'out' };
  if (key === '0') return { kind: 'zoom', by: 'reset' };
  return null;
}

/**
 * The person to move to from `from` in `direction`: among those whose offset
 * points that way (within 45 degrees either side, else anyone on that side),
 * the nearest, with distance across the direction counting double so the
 * move goes the way the arrow points. Null when nobody is that way.
 */
export function nextPerson<T extends Point & { readonly username: string }>(people: readonly T[], from: T, direction: Direction): T | null {
  const along = (p: Point) => (direction === 'left' ? from.x - p.x : direction === 'right' ? p.x - from.x : direction === 'up' ? from.y - p.y : p.y - from.y);
  const across = (p: Point) => Math.abs(direction === 'left' || direction === 'right' ? p.y - from.y : p.x - from.x);
  const ahead = people.filter((p) => p !== from && along(p) > 0);
  const inCone = ahead.filter((p) => across(p) <= along(p));
  const pool = inCone.length > 0 ? inCone : ahead;
  let best: T | null = null;
  let bestScore = Infinity;
  for (const p of pool) {
    const score = along(p) + 2 * across(p);
    if (score < bestScore || (score === bestScore && best !== null && p.username < best.username)) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

/** The one person Tab reaches: the selected one if drawn, else the first by name. */
export function tabStop(people: readonly { readonly username: string }[], selected: string | null): string | null {
  if (selected && people.some((p) => p.username === selected)) return selected;
  let first: string | null = null;
  for (const p of people) if (first === null || p.username < first) first = p.username;
  return first;
}
