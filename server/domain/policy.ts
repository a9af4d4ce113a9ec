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
import {
  DEFAULT_ESCROW_CHECK_BITS,
  DEFAULT_POLICY_MODE,
  isPolicyMode,
  type EscrowCheckBits,
  type PolicyAnnouncementWire,
  type PolicyExposure,
  type PolicyMode,
} from '@envelope/protocol';
import type { PolicyChangeVia, PolicyRepo } from '../storage/policy-repo.js';

/** Messages (and people) the server holds readable: the content log's counts. */
export interface ExposureSource {
  exposure(): PolicyExposure;
}

/** The escrow part of a key-escrow announcement, as sent (policy.ts EscrowAnnouncementSchema). */
export type EscrowAnnouncementWire = NonNullable<PolicyAnnouncementWire['escrow']>;

/**
 * The escrow key (server/lawful-access/escrow-key.ts, wired in by app.ts): made,
 * and its private half split into shares, the first time the mode becomes
 * key-escrow. This file never sees a share.
 */
export interface EscrowKeys {
  /**
   * Makes the escrow key and its shares if there are none (splitting is
   * asynchronous in shamir-secret-sharing), and sets the check's width.
   */
  prepare(checkBits: EscrowCheckBits): Promise<EscrowAnnouncementWire>;
  /** What to announce, or null before the key exists. */
  current(): EscrowAnnouncementWire | null;
}

/** For a server without key escrow wired in (tests of other parts): switching to key-escrow is refused. */
export const NO_ESCROW_KEYS: EscrowKeys = {
  prepare: () => Promise.reject(new Error('this server has no escrow key store')),
  current: () => null,
};

export type PolicyListener = (announcement: PolicyAnnouncementWire) => void;

export class PolicyService {
  private current: { mode: PolicyMode; since: number };
  private readonly listeners = new Set<PolicyListener>();

  constructor(
    private readonly repo: PolicyRepo,
    private readonly transportKey: Uint8Array,
    private readonly exposureSource: ExposureSource,
    private readonly now: () => number = Date.now,
    private readonly escrow: { readonly keys: EscrowKeys; readonly defaultCheckBits: EscrowCheckBits } = { keys: NO_ESCROW_KEYS, defaultCheckBits: DEFAULT_ESCROW_CHECK_BITS },
    /**
     * POLICY_MODE, which the caller applies with set(mode, 'start') before
     * anyone connects (having made key-escrow's key first: that is
     * asynchronous). Needed here only to start over a stored mode this server
     * does not know.
     */
    startMode?: PolicyMode,
  ) {
    const stored = repo.current();
    if (stored && !isPolicyMode(stored.mode) && startMode === undefined) {
      // A newer server's mode: running as if e2ee would announce less than the stored mode promised.
      throw new Error(`the stored policy mode "${stored.mode}" is not one this server knows; set POLICY_MODE to one it does`);
    }
    // An unknown stored mode stays in place until set(startMode, 'start') replaces (and records) it.
    this.current = stored ? { mode: stored.mode as PolicyMode, since: stored.since } : { mode: DEFAULT_POLICY_MODE, since: 0 };
    this.announcedCheckBits = escrow.keys.current()?.checkBits ?? null;
  }

  /** The escrow check width last announced (a new width in key-escrow is announced like a switch). */
  private announcedCheckBits: EscrowCheckBits | null;

  /**
   * set(), after making the escrow key when the mode is key-escrow (POST
   * /api/operator/policy and the start use this). `checkBits`: key-escrow's
   * width; absent, the one set before, else ESCROW_CHECK_BITS.
   */
  async change(mode: PolicyMode, via: PolicyChangeVia, options: { checkBits?: EscrowCheckBits } = {}): Promise<PolicyAnnouncementWire> {
    if (mode === 'key-escrow') await this.escrow.keys.prepare(options.checkBits ?? this.escrow.keys.current()?.checkBits ?? this.escrow.defaultCheckBits);
    return this.set(mode, via);
  }

  get mode(): PolicyMode {
    return this.current.mode;
  }

  /**
   * Sets the mode, stored with its history in one transaction; subscribers hear
   * the new announcement. Setting the mode in force changes and records nothing.
   */
  set(mode: PolicyMode, via: PolicyChangeVia): PolicyAnnouncementWire {
    if (mode === 'key-escrow') {
      // The key exists before anyone is told to seal to it (change() makes it).
      const escrow = this.escrow.keys.current();
      if (escrow === null) throw new Error('key-escrow needs the escrow key first: use change()');
      if (mode === this.current.mode && escrow.checkBits === this.announcedCheckBits) return this.announcement();
      this.announcedCheckBits = escrow.checkBits;
    } else if (mode === this.current.mode) {
      return this.announcement();
    }
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
      // Absent only if the key files were removed by hand while in key-escrow: clients then refuse to send (fail closed).
      ...(mode === 'key-escrow' && this.escrow.keys.current() !== null ? { escrow: this.escrow.keys.current()! } : {}),
      exposure: this.exposureSource.exposure(),
    };
  }

  /** Runs `listener` on every change; returns the unsubscribe. */
  subscribe(listener: PolicyListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
