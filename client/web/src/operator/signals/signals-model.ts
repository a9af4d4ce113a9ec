/**
 * The signals section's view model: fetches what the server's metadata
 * detectors flag, when the page opens, when asked (Refresh), and again after
 * new envelopes pass on the live stream — throttled, so a burst of a hundred
 * envelopes costs one request, not a hundred. The token comes from the
 * operator page once the server has accepted it; views render the snapshot.
 */
import { Observable, type Readable } from '../../ui/observable.js';
import { OperatorApi, OperatorApiError } from '../operator-api.js';
import type { SignalsResponse } from './schemas.js';

/**
 * At most one automatic re-fetch per this many ms: a classroom burst redraws
 * a few times, not once per envelope, and the detectors' report (computed on
 * demand on the server) stays off the relay's hot path.
 */
export const SIGNALS_REFRESH_THROTTLE_MS = 3_000;

export interface SignalsSnapshot {
  /** The last answer (kept on screen while a newer one loads). */
  readonly signals: SignalsResponse | null;
  readonly loading: boolean;
  /** Why the last fetch failed, in words; null after a good one. */
  readonly error: string | null;
}

const INITIAL: SignalsSnapshot = { signals: null, loading: false, error: null };

export class SignalsModel {
  readonly #state = new Observable<SignalsSnapshot>(INITIAL);
  readonly state: Readable<SignalsSnapshot> = this.#state;
  readonly #baseUrl: string;
  readonly #throttleMs: number;
  #token: string | null = null;
  /** Bumped on every token change, so an answer for an old token is dropped. */
  #generation = 0;
  /** The generation a fetch loop is running for (an old token's loop ends on its own). */
  #inFlight: number | null = null;
  /** Asked again while a fetch was running: one more after it, never a pile. */
  #again = false;
  #lastFetchAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: { baseUrl?: string; throttleMs?: number } = {}) {
    this.#baseUrl = options.baseUrl ?? '';
    this.#throttleMs = options.throttleMs ?? SIGNALS_REFRESH_THROTTLE_MS;
  }

  get snapshot(): SignalsSnapshot {
    return this.#state.get();
  }

  /** The token the page holds (null when locked). A new token fetches at once; null drops everything. */
  useToken(token: string | null): void {
    if (token === this.#token) return;
    this.#token = token;
    this.#generation++;
    this.#cancelTimer();
    this.#state.set(INITIAL);
    if (token) void this.refresh();
  }

  /**
   * The live stream has shown envelopes up to `lastSeq`. If the detectors'
   * last answer is older, a re-fetch is scheduled within the throttle.
   */
  sawEnvelopesThrough(lastSeq: number | null): void {
    const shown = this.snapshot.signals;
    if (!this.#token || lastSeq === null || (shown && shown.throughSeq >= lastSeq) || this.#timer) return;
    const wait = Math.max(0, this.#lastFetchAt + this.#throttleMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, wait);
  }

  /** Fetches now (the Refresh button, and on opening). */
  async refresh(): Promise<void> {
    const token = this.#token;
    if (!token) return;
    const generation = this.#generation;
    if (this.#inFlight === generation) {
      this.#again = true;
      return;
    }
    this.#inFlight = generation;
    this.#set({ loading: true });
    try {
      do {
        this.#again = false;
        this.#lastFetchAt = Date.now();
        try {
          const signals = await new OperatorApi(this.#baseUrl, token).signals();
          if (generation !== this.#generation) return;
          this.#set({ signals, error: null });
        } catch (error) {
          if (generation !== this.#generation) return;
          this.#set({ error: failureText(error) });
        }
      } while (this.#again);
    } finally {
      if (this.#inFlight === generation) this.#inFlight = null;
      if (generation === this.#generation) this.#set({ loading: false });
    }
  }

  /** Stops a scheduled re-fetch (the page unmounting or locking). */
  close(): void {
    this.#cancelTimer();
    this.#generation++;
  }

  #cancelTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #set(change: Partial<SignalsSnapshot>): void {
    this.#state.update((current) => ({ ...current, ...change }));
  }
}

function failureText(error: unknown): string {
  if (!(error instanceof OperatorApiError)) return 'The signals could not be loaded.';
  switch (error.code) {
    case 'UNAUTHORIZED':
      return 'The server refused the operator token. Lock the page and open it again with the start-up link.';
    case 'NETWORK':
      return 'The server could not be reached. Try Refresh.';
    case 'BAD_RESPONSE':
      return 'The server’s answer did not match what this page expects.';
    case 'NOT_FOUND':
      return 'This server does not offer metadata signals.';
  }
}
