/**
 * A day's generated traffic, held compactly: one row per envelope in typed arrays (about 22 bytes
 * a row, where an object per envelope took over 100 and kept the garbage collector busy), and a
 * stable radix sort by time. A million accounts write about eighteen million envelopes a day, so
 * how a row is held decides the run's memory.
 *
 * Row order is generation order: ties in time keep it, as the server's own order would.
 */
import type { ReportReason } from '@envelope/protocol';
import type { GeneratedEvent } from './traffic.js';

/** What a message is part of, for the content model only (content.ts; never given to a detector). */
export const ROLE_NONE = 0;
/** A harmful actor's activity: the actor's own messages in it are the harmful ones. */
export const ROLE_HARM = 1;
export const ROLE_VIRAL = 2;
export const ROLE_COUPLE = 3;
export const ROLE_TRADE_IMAGE = 4;
export type RoleCode = typeof ROLE_NONE | typeof ROLE_HARM | typeof ROLE_VIRAL | typeof ROLE_COUPLE | typeof ROLE_TRADE_IMAGE;

/** Report reasons by code; 0: the recipient does not report this message. */
export const REPORT_REASONS: readonly (ReportReason | undefined)[] = [undefined, 'harassment', 'other', 'spam', 'threat', 'child-safety'];
export const reasonCode = (reason: ReportReason): number => {
  const code = REPORT_REASONS.indexOf(reason);
  if (code <= 0) throw new RangeError(`no code for report reason ${reason}`);
  return code;
};

/** One row of an EventBuffer as an object (GeneratedEvent), for the few readers that want one. */
export function generatedEvent(rows: EventBuffer, i: number): GeneratedEvent {
  const event: { -readonly [K in keyof GeneratedEvent]: GeneratedEvent[K] } = { at: rows.at[i]!, from: rows.from[i]!, to: rows.to[i]!, order: rows.order[i]! };
  const reason = REPORT_REASONS[rows.reportReason[i]!];
  if (reason) event.report = { delayMs: rows.reportDelay[i]!, reason };
  const role = ROLE_NAMES[rows.role[i]!];
  if (role) event.role = role;
  return event;
}

const ROLE_NAMES: readonly GeneratedEvent['role'][] = [undefined, 'harm', 'viral', 'couple', 'trade-image'];

/** Starting capacity in rows; the buffer doubles as needed and is reused day after day. */
const INITIAL_ROWS = 1 << 12;
/** Radix digit: 16 bits, so an offset of up to 2^32 ms (49 days) past the day's start sorts in two passes. */
const DIGIT_BITS = 16;
const DIGIT_VALUES = 1 << DIGIT_BITS;
const DIGIT_MASK = DIGIT_VALUES - 1;

export class EventBuffer {
  length = 0;
  at = new Float64Array(INITIAL_ROWS);
  from = new Int32Array(INITIAL_ROWS);
  to = new Int32Array(INITIAL_ROWS);
  role = new Uint8Array(INITIAL_ROWS);
  /** REPORT_REASONS code: the recipient will report this message, `reportDelay` ms after it arrives. */
  reportReason = new Uint8Array(INITIAL_ROWS);
  reportDelay = new Float64Array(INITIAL_ROWS);
  /** Generation order across the run (TrafficGenerator's count): what a GeneratedEvent's `order` says. */
  order = new Uint32Array(INITIAL_ROWS);

  clear(): void {
    this.length = 0;
  }

  push(at: number, from: number, to: number, role: number, reportReason: number, reportDelay: number, order: number): void {
    if (this.length === this.at.length) this.grow();
    const i = this.length++;
    this.at[i] = at;
    this.from[i] = from;
    this.to[i] = to;
    this.role[i] = role;
    this.reportReason[i] = reportReason;
    this.reportDelay[i] = reportDelay;
    this.order[i] = order;
  }

  /** Appends row `i` of `other`. */
  copyRow(other: EventBuffer, i: number): void {
    this.push(other.at[i]!, other.from[i]!, other.to[i]!, other.role[i]!, other.reportReason[i]!, other.reportDelay[i]!, other.order[i]!);
  }

  /**
   * The rows' indices sorted by time, ties in row order (a stable LSD radix sort on the offset
   * from `base`, which every row's time is at or after). Linear in the rows.
   */
  sortedByTime(base: number): Uint32Array {
    const n = this.length;
    const keys = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const offset = this.at[i]! - base;
      if (!(offset >= 0 && offset < 2 ** 32 && Number.isInteger(offset))) throw new RangeError(`event time ${this.at[i]} is not a whole ms within 49 days after ${base}`);
      keys[i] = offset;
    }
    let order = new Uint32Array(n);
    let spare = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const counts = new Uint32Array(DIGIT_VALUES + 1);
    for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[((keys[order[i]!]! >>> shift) & DIGIT_MASK) + 1]!++;
      for (let d = 0; d < DIGIT_VALUES; d++) counts[d + 1]! += counts[d]!;
      for (let i = 0; i < n; i++) {
        const row = order[i]!;
        spare[counts[(keys[row]! >>> shift) & DIGIT_MASK]!++] = row;
      }
      [order, spare] = [spare, order];
    }
    return order;
  }

  private grow(): void {
    const size = this.at.length * 2;
    const grown = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.at = grown(this.at, (n) => new Float64Array(n));
    this.from = grown(this.from, (n) => new Int32Array(n));
    this.to = grown(this.to, (n) => new Int32Array(n));
    this.role = grown(this.role, (n) => new Uint8Array(n));
    this.reportReason = grown(this.reportReason, (n) => new Uint8Array(n));
    this.reportDelay = grown(this.reportDelay, (n) => new Float64Array(n));
    this.order = grown(this.order, (n) => new Uint32Array(n));
  }
}
