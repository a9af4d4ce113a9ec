/**
 * The accounts section's view model: every account with its devices, the
 * one-time prekeys each has left and the address it is connected from, fetched when the page opens, on Refresh, and
 * every ACCOUNTS_POLL_MS while the page is unlocked (prekeys are taken by
 * bundle fetches, and devices connect and leave, none of it on the envelope
 * stream). An answer for a token
 * that has since changed is dropped.
 */
import { Observable, type Readable } from '../../classroom/observable.js';
import { OperatorApi, OperatorApiError } from '../operator-api.js';
import type { AddressPolicy, OperatorAccount } from '../schemas.js';

/** A drain or a new connection shows within this long: one small request. */
export const ACCOUNTS_POLL_MS = 4_000;

export interface AccountsSnapshot {
  readonly accounts: readonly OperatorAccount[] | null;
  /** Whether the server stores network addresses, and for how long (null until loaded). */
  readonly addresses: AddressPolicy | null;
  readonly loading: boolean;
  readonly error: string | null;
}

const INITIAL: AccountsSnapshot = { accounts: null, addresses: null, loading: false, error: null };

export class AccountsModel {
  readonly #state = new Observable<AccountsSnapshot>(INITIAL);
  readonly state: Readable<AccountsSnapshot> = this.#state;
  readonly #baseUrl: string;
  readonly #pollMs: number;
  #token: string | null = null;
  #generation = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(options: { baseUrl?: string; pollMs?: number } = {}) {
    this.#baseUrl = options.baseUrl ?? '';
    this.#pollMs = options.pollMs ?? ACCOUNTS_POLL_MS;
  }

  get snapshot(): AccountsSnapshot {
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
      const { accounts, addresses } = await new OperatorApi(this.#baseUrl, token).accounts();
      if (generation === this.#generation) this.#set({ accounts, addresses, error: null, loading: false });
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

  #set(change: Partial<AccountsSnapshot>): void {
    this.#state.update((current) => ({ ...current, ...change }));
  }
}

function failureText(error: unknown): string {
  if (error instanceof OperatorApiError && error.code === 'UNAUTHORIZED') {
    return 'The server refused the operator token. Lock the page and open it again with the start-up link.';
  }
  if (error instanceof OperatorApiError && error.code === 'NETWORK') return 'The server could not be reached. Try Refresh.';
  return 'The accounts could not be loaded.';
}
