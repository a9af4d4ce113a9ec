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

/**
 * Two generations of ids: new ones go into `current`; when it is full or half a
 * window old it becomes `previous` and the old `previous` is dropped whole. Every
 * id is kept for at least half the window (and at most the whole window), with
 * O(1) work per id. (Evicting one oldest entry per insert from a single Map was
 * measured at 11% of the relay's time: V8 walks the deleted slots at the front.)
 */
export class RecentIds {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private currentStartedAt: number | undefined;

  constructor(
    private readonly windowMs = DEDUP_WINDOW_MS,
    private readonly maxIds = DEDUP_MAX_IDS,
  ) {}

  static key(recipient: string, recipientDevice: number, messageId: string): string {
    return RecentIds.keyOf(`${recipient}\u0000${recipientDevice}`, messageId);
  }

  /** The same key from the device's own key (`recipient` NUL `recipientDevice`), which the relay keeps. */
  static keyOf(deviceKey: string, messageId: string): string {
    return `${deviceKey}\u0000${messageId}`;
  }

  storedAt(key: string): number | undefined {
    return this.current.get(key) ?? this.previous.get(key);
  }

  remember(key: string, storedAt: number): void {
    this.currentStartedAt ??= storedAt;
    if (this.current.size >= this.maxIds / 2 || storedAt - this.currentStartedAt >= this.windowMs / 2) this.rotate(storedAt);
    this.current.set(key, storedAt);
  }

  /** Drops generations older than the window (call now and then). */
  expire(now: number): void {
    if (this.currentStartedAt !== undefined && now - this.currentStartedAt >= this.windowMs / 2) this.rotate(now);
    if (this.currentStartedAt !== undefined && now - this.currentStartedAt >= this.windowMs) this.previous = new Map();
  }

  private rotate(now: number): void {
    this.previous = this.current;
    this.current = new Map();
    this.currentStartedAt = now;
  }
}
