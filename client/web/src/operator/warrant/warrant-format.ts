/**
 * How the warrant answer writes values: one fixed, unambiguous form for
 * times (UTC, ISO-like) so the page and a printed copy read the same in any
 * locale and time zone, and short plain phrases for counts and sizes.
 */
import { plural } from '../format.js';
import type { WarrantAnswer } from './schemas.js';

export { plural };

/** `2026-12-02 18:14:52 UTC`. */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * An exact size, `12,345 bytes`: the answer hands over the figure the server
 * holds, not a rounded one (the rest of the page rounds to kB for a glance).
 * One fixed grouping, whatever the reader's locale.
 */
export function exactBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-GB')} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** Where an envelope sits in the server's log: its running number there, or that the log no longer has it. */
export function logNumberText(seq: number | null): string {
  return seq === null ? 'no longer in the log' : `log no. ${seq}`;
}

export function ageBandText(ageBand: WarrantAnswer['record']['ageBand']): string {
  return ageBand === null ? 'not given' : `${ageBand} (declared at sign-up, never checked)`;
}

/** "showing 100 of 250" when a list was cut to its bound, else "". */
export function shownOf(shown: number, total: number): string {
  return shown < total ? `showing ${shown} of ${total}` : '';
}

type TimelineEvent = WarrantAnswer['timeline']['events'][number];

const KIND_TEXT: Record<TimelineEvent['kind'], string> = {
  'session-start': 'first contact',
  message: 'message',
  sealed: 'sealed: a message or a receipt, the server cannot tell',
  unknown: 'unknown',
};

/**
 * What the first byte and the receipt mark tell the server, in words. A
 * marked receipt normally travels as an ordinary message; when its first byte
 * says otherwise, that is said too, so no part of the row is dropped.
 */
export function kindText(kind: TimelineEvent['kind'], receipt: TimelineEvent['receipt'] = false): string {
  if (receipt !== true) return KIND_TEXT[kind];
  return kind === 'message' ? 'delivery receipt' : `delivery receipt, sent as ${KIND_TEXT[kind]}`;
}

/** A device on the other side: "bob (device 1)", or a plain statement when sealed sender hid it. */
export function peerText(peer: string | null, device: number | null): string {
  if (peer === null) return 'hidden (sealed sender)';
  return device === null ? peer : `${peer} (device ${device})`;
}
