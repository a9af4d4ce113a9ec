/**
 * The user-reports section's view model: the moderators' queue, fetched when
 * the page opens, on Refresh, and every REPORTS_POLL_MS while the page is
 * unlocked (reports arrive by HTTP, not on the envelope stream). An answer for
 * a token that has since changed is dropped.
 */
import { Observable, type Readable } from '../../classroom/observable.js';
import { OperatorApi, OperatorApiError } from '../operator-api.js';
import type { ReportQueue } from '../../../../../shared/protocol/reports.js';

/** A report shows up within this long without a click: one small request, and reports are rare. */
export const REPORTS_POLL_MS = 4_000;

export interface ReportsSnapshot {
  readonly queue: ReportQueue | null;
  readonly loading: boolean;
  readonly error: string | null;
}

const INITIAL: ReportsSnapshot = { queue: null, loading: false, error: null };

export class ReportsModel {
  readonly #state = new Observable<ReportsSnapshot>(INITIAL);
  readonly state: Readable<ReportsSnapshot> = this.#state;
  readonly #baseUrl: string;
  readonly #pollMs: number;
  #token: string | null = null;
  #generation = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(options: { baseUrl?: string; pollMs?: number } = {}) {
    this.#baseUrl = options.baseUrl ?? '';
    this.#pollMs = options.pollMs ?? REPORTS_POLL_MS;
  }

  get snapshot(): ReportsSnapshot {
    return this.#state.get();
  }

  useToken(token: string | null): void {
    if (token === this.#token) return;
    this.#token = token;
    this.#generation++;
    this.#stopPolling();
    this.#state.set(INITIAL);
    if (!token) return;
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), this.#pollMs);
  }

  async refresh(): Promise<void> {
    const token = this.#token;
    if (!token) return;
    const generation = this.#generation;
    this.#set({ loading: true });
    try {
      const queue = await new OperatorApi(this.#baseUrl, token).reports();
      if (generation === this.#generation) this.#set({ queue, error: null, loading: false });
    } catch (error) {
      if (generation === this.#generation) this.#set({ error: failureText(error), loading: false });
    }
  }

  close(): void {
    this.#stopPolling();
    this.#generation++;
  }

  #stopPolling(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #set(change: Partial<ReportsSnapshot>): void {
    this.#state.update((current) => ({ ...current, ...change }));
  }
}

function failureText(error: unknown): string {
  if (!(error instanceof OperatorApiError)) return 'The reports could not be loaded.';
  switch (error.code) {
    case 'UNAUTHORIZED':
      return 'The server refused the operator token. Lock the page and open it again with the start-up link.';
    case 'NETWORK':
      return 'The server could not be reached. Try Refresh.';
    case 'BAD_RESPONSE':
      return 'The server’s answer did not match what this page expects.';
    case 'NOT_FOUND':
      return 'This server does not take user reports.';
  }
}
