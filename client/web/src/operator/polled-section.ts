/**
 * A section of the operator page that shows one API answer, fetched when the
 * page gets a token, on Refresh, and every `pollMs` while it has one (for what
 * changes without passing on the envelope stream: reports arrive by HTTP,
 * prekeys are taken by bundle fetches, devices connect and leave). An answer
 * for a token that has since changed is dropped. The user-reports queue and
 * the accounts list are two of these; each says what it loads and how a
 * failure reads.
 */
import { Observable, type Readable } from '../ui/observable.js';
import { OperatorApi, OperatorApiError } from './operator-api.js';

export interface PolledSnapshot {
  readonly loading: boolean;
  readonly error: string | null;
}

export interface PolledSectionSpec<S extends PolledSnapshot, R> {
  readonly initial: S;
  load(api: OperatorApi): Promise<R>;
  /** What a loaded answer changes in the snapshot. */
  apply(answer: R): Partial<S>;
  /** The sentence for a failure that is not one every section shares (failureText). */
  failureText(error: unknown): string;
}

/** The failures every section words the same; null for the rest. */
function sharedFailureText(error: unknown): string | null {
  if (error instanceof OperatorApiError && error.code === 'UNAUTHORIZED') {
    return 'The server refused the operator token. Lock the page and open it again with the start-up link.';
  }
  if (error instanceof OperatorApiError && error.code === 'NETWORK') return 'The server could not be reached. Try Refresh.';
  return null;
}

export class PolledSection<S extends PolledSnapshot, R> {
  readonly #state: Observable<S>;
  readonly state: Readable<S>;
  readonly #spec: PolledSectionSpec<S, R>;
  readonly #baseUrl: string;
  readonly #pollMs: number;
  #token: string | null = null;
  #generation = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(spec: PolledSectionSpec<S, R>, options: { baseUrl?: string; pollMs: number }) {
    this.#spec = spec;
    this.#state = new Observable<S>(spec.initial);
    this.state = this.#state;
    this.#baseUrl = options.baseUrl ?? '';
    this.#pollMs = options.pollMs;
  }

  get snapshot(): S {
    return this.#state.get();
  }

  useToken(token: string | null): void {
    if (token === this.#token) return;
    this.#token = token;
    this.#generation++;
    this.#stopPolling();
    this.#state.set(this.#spec.initial);
    if (!token) return;
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), this.#pollMs);
  }

  async refresh(): Promise<void> {
    const token = this.#token;
    if (!token) return;
    const generation = this.#generation;
    this.#set({ loading: true } as Partial<S>);
    try {
      const answer = await this.#spec.load(new OperatorApi(this.#baseUrl, token));
      if (generation === this.#generation) this.#set({ ...this.#spec.apply(answer), error: null, loading: false });
    } catch (error) {
      const text = sharedFailureText(error) ?? this.#spec.failureText(error);
      if (generation === this.#generation) this.#set({ error: text, loading: false } as Partial<S>);
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

  #set(change: Partial<S>): void {
    this.#state.update((current) => ({ ...current, ...change }));
  }
}
