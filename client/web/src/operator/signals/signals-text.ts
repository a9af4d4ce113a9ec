/**
 * The words of the signals section, for a reader who is not a cryptographer
 * (a class, a journalist on a projector): what a score means, and the debate
 * the section answers, in our own words with the reporting it relies on
 * (ui/sources.ts).
 */
import { SOURCES, type Source } from '../../ui/sources.js';

/** A score in words. Detectors score 0.5 at their threshold and 1 at twice it (server/domain/signals/detector.ts). */
export function scoreWords(score: number): string {
  if (score >= 0.9) return 'strong match';
  if (score >= 0.7) return 'clear match';
  return 'just over the line';
}

export function percent(score: number): string {
  return `${Math.round(score * 100)}%`;
}

export const SIGNALS_CONTEXT: { readonly paragraphs: readonly string[]; readonly sources: readonly Source[] } = {
  paragraphs: [
    'The server cannot read a single message. What it can do is watch the outside of the envelopes (who writes to whom, when and how often) and flag patterns that often come with abuse. Each card below is one such pattern, with the envelopes that set it off.',
    'When Meta turned on end-to-end encryption for Messenger, it said it would keep finding abuse this way, from signals around the messages, as it already does on WhatsApp.',
    'The UK’s National Crime Agency answered that measures relying on metadata alone will “rarely, if ever” give enough evidence for a warrant. A flag here is a reason to look closer, not proof: every card says what it cannot know.',
  ],
  sources: [SOURCES.messengerDefaultE2ee, SOURCES.ncaReferrals],
};
