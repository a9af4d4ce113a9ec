/**
 * What the presenter panel hears from the server, as one kind of event the
 * lesson's checks read: the operator's live stream (envelopes, deliveries, the
 * policy mode, class activity) and, once on opening, how many accounts and
 * reports the server already has (so a panel opened mid-lesson is not behind).
 */
import type { ClassActivity } from '@envelope/protocol';
import type { StreamEvent } from '../operator/operator-api.js';
import type { OperatorAck, OperatorEnvelope } from '../operator/schemas.js';

export type LessonEvent =
  | { readonly kind: 'envelope'; readonly envelope: OperatorEnvelope }
  | { readonly kind: 'delivered'; readonly ack: OperatorAck }
  /** The mode announced (a string: a newer server may announce one this app does not know). */
  | { readonly kind: 'policy'; readonly mode: string }
  | { readonly kind: 'activity'; readonly activity: ClassActivity }
  /** Read once when the panel opens. */
  | { readonly kind: 'existing'; readonly accounts: number; readonly reports: number };

/** What the checks may remember between events (kept small: a class is tens of people). */
export interface LessonMemory {
  /** People the server has seen write a message (not a receipt, not sealed). */
  readonly writers: readonly string[];
  /** A mode other than e2ee was announced (the last step asks for the way back). */
  readonly leftE2ee: boolean;
}

export const EMPTY_MEMORY: LessonMemory = { writers: [], leftE2ee: false };

/**
 * A step's check: what it waits for, in words (the panel, the sheets), and the
 * evidence an event gives for it, in words, or null when it gives none. Read
 * with the memory as it was before the event.
 */
export interface LessonCheck {
  readonly label: string;
  readonly evidence: (event: LessonEvent, memory: LessonMemory) => string | null;
}

/** The stream's events as the lesson reads them (`skipped` tells it nothing). */
export function lessonEvents(events: readonly StreamEvent[]): LessonEvent[] {
  return events.flatMap((event): LessonEvent[] => {
    switch (event.type) {
      case 'envelope':
        return [{ kind: 'envelope', envelope: event.envelope }];
      case 'acked':
        return [{ kind: 'delivered', ack: event.ack }];
      case 'policy':
        return [{ kind: 'policy', mode: event.announcement.mode }];
      case 'activity':
        return [{ kind: 'activity', activity: event.activity }];
      case 'skipped':
        return [];
    }
  });
}

/** The memory after `event`. */
export function remember(memory: LessonMemory, event: LessonEvent): LessonMemory {
  if (event.kind === 'envelope' && isConversation(event.envelope) && event.envelope.sender !== null && !memory.writers.includes(event.envelope.sender)) {
    return { ...memory, writers: [...memory.writers, event.envelope.sender] };
  }
  if (event.kind === 'policy' && event.mode !== 'e2ee' && !memory.leftE2ee) return { ...memory, leftE2ee: true };
  return memory;
}

/** A message someone wrote, as far as the server can tell: not an envelope its app marked a delivery receipt. */
export function isConversation(envelope: OperatorEnvelope): boolean {
  return envelope.receipt !== true;
}
