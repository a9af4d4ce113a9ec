/**
 * The server's policy mode (shared/protocol/policy.ts; docs/lawful-access.md):
 * one mode for the whole server, kept in SQLite so it survives a restart, with
 * every change recorded (who made it: the operator, or POLICY_MODE at start).
 *
 * The announcement is what every client is told (GET /api/policy, the `policy`
 * frame after auth and on each change, the operator stream): the mode, since
 * when, the transport key clients seal to (transport-only only: in e2ee a
 * client has no use for it, and offering it would invite a mistake), and how
 * many messages the server still holds readable from earlier modes (exposure).
 * The exposure comes through a port the content log answers (wired in app.ts):
 * this file never reads content.
 */
import { toBase64Url } from '@envelope/crypto-public';
import { DEFAULT_POLICY_MODE, isPolicyMode, type PolicyAnnouncementWire, type PolicyExposure, type PolicyMode } from '@envelope/protocol';
import type { PolicyChangeVia, PolicyRepo } from '../storage/policy-repo.js';

/** Messages (and people) the server holds readable: the content log's counts. */
export interface ExposureSource {
  exposure(): PolicyExposure;
}

export type PolicyListener = (announcement: PolicyAnnouncementWire) => void;

export class PolicyService {
  private current: { mode: PolicyMode; since: number };
  private readonly listeners = new Set<PolicyListener>();

  constructor(
    private readonly repo: PolicyRepo,
    private readonly transportKey: Uint8Array,
    private readonly exposureSource: ExposureSource,
    private readonly now: () => number = Date.now,
    /** POLICY_MODE: the mode to run from this start (recorded via 'start' when it changes the stored one); undefined keeps the stored mode. */
    startMode?: PolicyMode,
  ) {
    const stored = repo.current();
    if (stored && !isPolicyMode(stored.mode)) {
      // A newer server's mode: running as if e2ee would announce less than the stored mode promised.
      if (startMode === undefined) throw new Error(`the stored policy mode "${stored.mode}" is not one this server knows; set POLICY_MODE to one it does`);
      const since = now();
      repo.change(startMode, since, 'start');
      this.current = { mode: startMode, since };
      return;
    }
    this.current = stored ? { mode: stored.mode as PolicyMode, since: stored.since } : { mode: DEFAULT_POLICY_MODE, since: 0 };
    if (startMode !== undefined) this.set(startMode, 'start');
  }

  get mode(): PolicyMode {
    return this.current.mode;
  }

  /**
   * Sets the mode, stored with its history in one transaction; subscribers hear
   * the new announcement. Setting the mode in force changes and records nothing.
   */
  set(mode: PolicyMode, via: PolicyChangeVia): PolicyAnnouncementWire {
    if (mode === this.current.mode) return this.announcement();
    const since = this.now();
    this.repo.change(mode, since, via);
    this.current = { mode, since };
    const announcement = this.announcement();
    for (const listener of this.listeners) listener(announcement);
    return announcement;
  }

  announcement(): PolicyAnnouncementWire {
    const { mode, since } = this.current;
    return {
      mode,
      since,
      ...(mode === 'transport-only' ? { transportKey: toBase64Url(this.transportKey) } : {}),
      exposure: this.exposureSource.exposure(),
    };
  }

  /** Runs `listener` on every change; returns the unsubscribe. */
  subscribe(listener: PolicyListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
