/**
 * The signals section follows the live stream: when the page has shown
 * envelopes newer than the detectors' last answer covers, it asks again,
 * throttled, so a burst of a hundred envelopes costs one request, not a
 * hundred.
 */
import { useEffect } from 'react';
import type { SectionState } from '../queries.js';
import type { SignalsResponse } from './schemas.js';

/**
 * At most one automatic re-fetch per this many ms: a classroom burst redraws
 * a few times, not once per envelope, and the detectors' report (computed on
 * demand on the server) stays off the relay's hot path.
 */
export const SIGNALS_REFRESH_THROTTLE_MS = 3_000;

/** How long to wait before asking again, or null when there is nothing to ask (answer current, or a request running). */
export function refetchDelay(section: SectionState<SignalsResponse>, lastSeq: number | null, now: number, throttleMs = SIGNALS_REFRESH_THROTTLE_MS): number | null {
  if (lastSeq === null || section.loading || (section.data && section.data.throughSeq >= lastSeq)) return null;
  return Math.max(0, section.settledAt + throttleMs - now);
}

/** Asks again (within the throttle) while the page shows envelopes newer than the answer covers. */
export function useFollowStream(section: SectionState<SignalsResponse> & { readonly refresh: () => void }, lastSeq: number | null): void {
  const delay = refetchDelay(section, lastSeq, Date.now());
  const { refresh } = section;
  useEffect(() => {
    if (delay === null) return;
    const timer = setTimeout(refresh, delay);
    return () => clearTimeout(timer);
    // `refresh` is a new function each render: the schedule depends only on what the answer covers and when it came.
  }, [delay === null, lastSeq, section.settledAt, section.loading]);
}
