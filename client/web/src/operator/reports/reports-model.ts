/**
 * The user-reports section's view model: the moderators' queue, polled
 * (polled-section.ts) because reports arrive by HTTP, not on the envelope stream.
 */
import type { ReportQueue } from '@envelope/protocol';
import { OperatorApiError } from '../operator-api.js';
import { PolledSection } from '../polled-section.js';

/** A report shows up within this long without a click: one small request, and reports are rare. */
export const REPORTS_POLL_MS = 4_000;

export interface ReportsSnapshot {
  readonly queue: ReportQueue | null;
  readonly loading: boolean;
  readonly error: string | null;
}

export class ReportsModel extends PolledSection<ReportsSnapshot, ReportQueue> {
  constructor(options: { baseUrl?: string; pollMs?: number } = {}) {
    super(
      {
        initial: { queue: null, loading: false, error: null },
        load: (api) => api.reports(),
        apply: (queue) => ({ queue }),
        failureText,
      },
      { ...options, pollMs: options.pollMs ?? REPORTS_POLL_MS },
    );
  }
}

function failureText(error: unknown): string {
  if (error instanceof OperatorApiError && error.code === 'BAD_RESPONSE') return 'The server’s answer did not match what this page expects.';
  if (error instanceof OperatorApiError && error.code === 'NOT_FOUND') return 'This server does not take user reports.';
  return 'The reports could not be loaded.';
}
