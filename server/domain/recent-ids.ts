/**
 * The ids of recently stored envelopes, so a sender's resend (it did not hear
 * "stored" before a reconnect) is confirmed without being stored twice.
 *
 * Bounded by age and count, and rebuilt from the metadata log at start, so it
 * also works across a restart. It is an optimisation, not the guarantee: a
 * resend older than the window is stored again, and the recipient drops the
 * duplicate by id, as clients always do (shared/protocol/ws.ts).
 */
/**
 * A sender resends when it did not hear "stored", i.e. within seconds or minutes
 * (a reconnect). Ten minutes and 50,000 ids cover that; a larger set costs every
 * garbage collection (measured: a 200,000-id set halved relay throughput).
 */
export const DEDUP_WINDOW_MS = 10 * 60 * 1000;
export const DEDUP_MAX_IDS = 50_000;

export class RecentIds {
  /** key → storedAt, oldest first (Map keeps insertion order). */
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly windowMs = DEDUP_WINDOW_MS,
    private readonly maxIds = DEDUP_MAX_IDS,
  ) {}

  static key(recipient: string, recipientDevice: number, messageId: string): string {
    return `${recipient}\u0000${recipientDevice}\u0000${messageId}`;
  }

  storedAt(key: string): number | undefined {
    return this.ids.get(key);
  }

  remember(key: string, storedAt: number): void {
    this.ids.set(key, storedAt);
    if (this.ids.size > this.maxIds) this.ids.delete(this.ids.keys().next().value!);
  }

  /** Forgets ids older than the window (call now and then). */
  expire(now: number): void {
    for (const [key, storedAt] of this.ids) {
      if (storedAt >= now - this.windowMs) break;
      this.ids.delete(key);
    }
  }
}
