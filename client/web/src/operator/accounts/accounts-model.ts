/**
 * The accounts section's view model: every account with its devices, the
 * one-time prekeys each has left and the address it is connected from, polled
 * (polled-section.ts) because prekeys are taken by bundle fetches and devices
 * connect and leave, none of it on the envelope stream.
 */
import type { OperatorApi } from '../operator-api.js';
import { PolledSection } from '../polled-section.js';
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

type AccountsAnswer = Awaited<ReturnType<OperatorApi['accounts']>>;

export class AccountsModel extends PolledSection<AccountsSnapshot, AccountsAnswer> {
  constructor(options: { baseUrl?: string; pollMs?: number } = {}) {
    super(
      {
        initial: { accounts: null, addresses: null, loading: false, error: null },
        load: (api) => api.accounts(),
        apply: ({ accounts, addresses }) => ({ accounts, addresses }),
        failureText: () => 'The accounts could not be loaded.',
      },
      { ...options, pollMs: options.pollMs ?? ACCOUNTS_POLL_MS },
    );
  }
}
