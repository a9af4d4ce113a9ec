/**
 * What every metadata detector shares: its input (one metadata-log row and the
 * two accounts' records, nothing else: the server has nothing else), the way it
 * explains itself, and its bounded evidence.
 *
 * A detector is fed every envelope once, in seq order, through `observe`; it
 * keeps only bounded state (sliding windows, capped sets) and does O(1)
 * amortised work per envelope, so it can run on the relay's hot path. Its
 * `report` is computed on demand (the operator asked), off the hot path.
 *
 * No detector reads `size`: padding buckets blur it to a few values, so it
 * says little, and a detector built on it would read that blur as a signal.
 *
 * One detector ("many user reports", user-reports.ts) reads verified user
 * reports instead, through the optional `observeReport`; the service passes
 * each detector the inputs it has.
 */
import { type AGE_BANDS, MAX_FLAGGED_ACCOUNTS, MAX_SIGNAL_EVIDENCE } from '@envelope/protocol';
import type { EnvelopeKind } from '../../storage/mailbox-repo.js';
import type { ReportRecord } from '../../storage/reports-repo.js';

export type AgeBand = (typeof AGE_BANDS)[number];

/** One metadata-log row: all the server records about an envelope. */
export interface MetadataEvent {
  readonly seq: number;
  readonly messageId: string;
  /** null when sealed sender hid who sent it. */
  readonly sender: string | null;
  readonly senderDevice: number | null;
  readonly recipient: string;
  readonly recipientDevice: number;
  /** When the server received it (server clock, ms): detectors take time from here, never from a clock. */
  readonly sentAt: number;
  /** Ciphertext bytes: padding buckets blur the real length. */
  readonly size: number;
  readonly kind: EnvelopeKind;
  /** Its sender marked it a delivery receipt: never fed to a detector (service.ts), since a receipt is not conversation. */
  readonly receipt: boolean;
}

/** What the server knows of an account: when it signed up and the age band it declared (unverified). */
export interface AccountInfo {
  readonly createdAt: number;
  readonly ageBand: AgeBand | null;
}

/**
 * The envelope's two accounts: a dense number per account name, given by the
 * service and stable for one run of the detectors (so state lives in arrays and
 * small-integer sets, not maps of strings: a million envelopes in seconds), and
 * their records when the server has them. Sealed: senderId is -1, sender
 * undefined. The object may be reused for the next envelope: do not keep it.
 */
export interface EventAccounts {
  readonly senderId: number;
  readonly recipientId: number;
  readonly sender: AccountInfo | undefined;
  readonly recipient: AccountInfo | undefined;
}

export const SEALED_ID = -1;

export interface DetectorParameter {
  readonly name: string;
  readonly value: number;
  /** Why this default, in plain words. */
  readonly reason: string;
}

export interface Evidence {
  readonly seq: number;
  readonly messageId: string;
}

export interface FlaggedAccount {
  readonly account: string;
  /** How strongly the pattern holds, in [0, 1]: 0.5 at the threshold, 1 at twice it (per detector). */
  readonly score: number;
  /** The finding in plain words, with its numbers. */
  readonly summary: string;
  /** The latest envelopes that made up the pattern, oldest first, at most MAX_EVIDENCE. */
  readonly evidence: readonly Evidence[];
}

export interface DetectorReport {
  readonly id: string;
  /** What `observed` and `unattributable` count: envelopes (the default) or user reports. */
  readonly unit?: 'envelope' | 'report';
  readonly title: string;
  readonly pattern: string;
  readonly parameters: readonly DetectorParameter[];
  readonly whatCannotBeKnown: string;
  /** What it does with delivery receipts, in plain words. */
  readonly receiptsNote: string;
  /** Envelopes seen. */
  readonly observed: number;
  /** Envelopes it had to skip because sealed sender hid the sender. */
  readonly unattributable: number;
  /** Accounts the pattern holds for, in all. */
  readonly flaggedTotal: number;
  /** Highest score first, at most MAX_FLAGGED. */
  readonly flagged: readonly FlaggedAccount[];
}

/** A detector's report with what the service adds: the receipts it kept from every detector. */
export interface ServiceDetectorReport extends DetectorReport {
  /** Envelopes marked as receipts, not fed to the detector. */
  readonly receipts: number;
}

export interface Detector {
  readonly id: string;
  observe(event: MetadataEvent, accounts: EventAccounts): void;
  /** Only for detectors that read verified user reports. */
  observeReport?(report: ReportRecord): void;
  /**
   * `limit`: flagged accounts listed at most (MAX_FLAGGED, the wire's bound, by default). The scenario
   * (@envelope/scenario) asks for every one, to score each account against its ground truth.
   */
  report(limit?: number): DetectorReport;
}

/** Evidence per flagged account and accounts per detector: the wire's bounds (reasons there). */
export const MAX_EVIDENCE = MAX_SIGNAL_EVIDENCE;
export const MAX_FLAGGED = MAX_FLAGGED_ACCOUNTS;

/** The last MAX_EVIDENCE envelopes, in a fixed ring: O(1) per push, no growth. */
export class EvidenceRing {
  private readonly seqs: number[] = [];
  private readonly ids: string[] = [];
  private next = 0;

  push(event: Evidence): void {
    if (this.seqs.length < MAX_EVIDENCE) {
      this.seqs.push(event.seq);
      this.ids.push(event.messageId);
      return;
    }
    this.seqs[this.next] = event.seq;
    this.ids[this.next] = event.messageId;
    this.next = (this.next + 1) % MAX_EVIDENCE;
  }

  toArray(): Evidence[] {
    const out: Evidence[] = [];
    for (let i = 0; i < this.seqs.length; i++) {
      const at = (this.next + i) % this.seqs.length;
      out.push({ seq: this.seqs[at]!, messageId: this.ids[at]! });
    }
    return out;
  }
}

/** 0 below the threshold, 0.5 at it, rising linearly to 1 at twice it. */
export function thresholdScore(value: number, threshold: number): number {
  if (value < threshold) return 0;
  return Math.min(1, value / (2 * threshold));
}

/** Highest score first (then name, so the order is stable), at most `limit` (the wire's MAX_FLAGGED unless a caller needs every one). */
export function topFlagged(flagged: FlaggedAccount[], limit = MAX_FLAGGED): FlaggedAccount[] {
  return flagged
    .sort((a, b) => b.score - a.score || (a.account < b.account ? -1 : a.account > b.account ? 1 : 0))
    .slice(0, limit);
}

/** Said by every detector that needs the sender. */
export const SEALED_SENDER_NOTE =
  'With sealed sender the server does not see who sent an envelope: those envelopes are counted as unattributable and cannot raise or lower anyone\'s score.';

/**
 * Said by every detector that reads envelopes: a sealed receipt carries no mark, so it is
 * one more unattributable envelope, never counted as anyone's message or reply.
 */
export const SEALED_RECEIPT_NOTE =
  'A receipt sent with sealed sender carries no mark: the server cannot tell it from a message, and counts it as unattributable like any sealed envelope, so it cannot make anyone look like they answered.';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
