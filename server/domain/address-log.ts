/**
 * Network addresses. Every server sees the address of each request and
 * connection; what matters is whether it keeps them. This server shows the
 * address of each live relay connection to its operator (in memory, gone when
 * the connection closes) and stores addresses only when started with
 * STORE_ADDRESSES=on: then one row per sign-up, sign-in, relay connection and
 * sealed send (storage/address-repo.ts), kept ADDRESS_RETENTION_DAYS and
 * handed over in the warrant answer. Nothing is recorded per relayed envelope,
 * so the relay's hot path does no extra work. With the setting off (the
 * default), this class records nothing and no address is written anywhere:
 * not to the database and not to the log.
 */
import type { AddressEvent, AddressRepo } from '../storage/address-repo.js';

export interface AddressPolicy {
  readonly stored: boolean;
  /** How long stored addresses are kept (days); meaningful only when stored. */
  readonly retentionDays: number;
}

export class AddressLog {
  constructor(
    /** null when STORE_ADDRESSES is off: nothing is ever written. */
    private readonly repo: AddressRepo | null,
    readonly policy: AddressPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  record(event: AddressEvent, address: string | undefined, who: { username: string; deviceId: number } | null, messageId: string | null = null): void {
    if (!this.repo || !address) return;
    this.repo.record(event, normalised(address), this.now(), who, messageId);
  }

  /** Housekeeping: forget addresses older than the retention period. */
  purge(): void {
    this.repo?.purgeBefore(this.now() - this.policy.retentionDays * 24 * 60 * 60 * 1000);
  }
}

/** An IPv4 client on a dual-stack socket appears as ::ffff:a.b.c.d: stored as a.b.c.d, as a reader expects. */
export function normalised(address: string): string {
  return address.replace(/^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i, '$1');
}
