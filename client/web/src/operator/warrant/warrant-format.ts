/**
 * How the warrant answer writes values: one fixed, unambiguous form for
 * times (UTC, ISO-like) so the page and a printed copy read the same in any
 * locale and time zone, and short plain phrases for counts and sizes.
 */
import { byteSize, plural } from '../format.js';
import type { WarrantAnswer } from './schemas.js';

export { byteSize, plural };

/** `2026-12-02 18:14:52 UTC`. */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function ageBandText(ageBand: WarrantAnswer['record']['ageBand']): string {
  return ageBand === null ? 'not given' : `${ageBand} (declared at sign-up, never checked)`;
}

/** "showing 100 of 250" when a list was cut to its bound, else "". */
export function shownOf(shown: number, total: number): string {
  return shown < total ? `showing ${shown} of ${total}` : '';
}

type TimelineEvent = WarrantAnswer['timeline']['events'][number];

/** What the first byte and the receipt mark tell the server, in words. */
export function kindText(kind: TimelineEvent['kind'], receipt: TimelineEvent['receipt'] = false): string {
  if (receipt === true) return 'delivery receipt';
  if (kind === 'sealed') return 'sealed (sender hidden; a message or a receipt: cannot tell)';
  return kind === 'session-start' ? 'first contact' : kind === 'message' ? 'message' : 'unknown';
}

/** A device on the other side: "bob (device 1)", or a plain statement when sealed sender hid it. */
export function peerText(peer: string | null, device: number | null): string {
  if (peer === null) return 'hidden (sealed sender)';
  return device === null ? peer : `${peer} (device ${device})`;
}
