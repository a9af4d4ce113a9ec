/**
 * The name a person joins under, and what to tell them when it is not what
 * they typed. Names are lowercase and at most MAX_USERNAME_CHARS long (the
 * protocol's rule, so "Alice" and "alice" cannot be two people); the join
 * form says so as they type rather than changing the name behind their back.
 */
import { MAX_USERNAME_CHARS } from '@envelope/protocol';

/**
 * How much the name box takes: more than a name may be, so a long paste is not
 * cut silently by the browser; the note below the box says what is kept.
 */
export const JOIN_INPUT_MAX_CHARS = 200;

/** What joining with `typed` uses: trimmed, lowercase, cut to the longest name allowed. */
export function nameAsJoined(typed: string): string {
  return typed.trim().toLowerCase().slice(0, MAX_USERNAME_CHARS);
}

/** Plain words for the difference between `typed` and the name used, or null when they are the same. */
export function joinNameNote(typed: string): string | null {
  const used = nameAsJoined(typed);
  if (used === typed || used === '') return null;
  const lowered = typed.trim().toLowerCase();
  const reasons: string[] = [];
  if (lowered !== typed.trim()) reasons.push('names are lowercase');
  if (lowered.length > MAX_USERNAME_CHARS) reasons.push(`names are at most ${MAX_USERNAME_CHARS} characters`);
  if (typed.trim() !== typed) reasons.push('spaces at the ends are dropped');
  return `You will join as “${used}”${reasons.length > 0 ? `: ${reasons.join(', ')}` : ''}.`;
}
