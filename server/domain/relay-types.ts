/**
 * What the relay shares with its callers: the connection it pushes frames to,
 * its options, what it tells observers after each commit, and the two things
 * it can tell from an envelope without opening it (its framing type and size).
 * Kept apart from relay.ts so the service itself reads as one flow.
 */
import { firstByteOfBase64Url, FRAME_PREKEY, FRAME_RATCHET, FRAME_SEALED } from '@envelope/crypto-public';
import type { ServerFrameWire } from '@envelope/protocol';
import type { ServerError } from '../errors.js';
import type { EnvelopeKind, NewEnvelope } from '../storage/mailbox-repo.js';
import type { AuthenticatedDevice } from './auth.js';
import type { RateLimit } from './rate-limit.js';

export interface RelayConnection {
  readonly device: AuthenticatedDevice;
  /** The network address the connection comes from (shown live to the operator; stored only with STORE_ADDRESSES=on). */
  readonly address: string;
  /** When it signed in on this socket (ms). */
  readonly connectedAt: number;
  push(frame: ServerFrameWire): void;
  /** A frame already serialised to JSON (see pushMessage). */
  pushText(json: string): void;
  close(code: number, reason: string): void;
}

export interface RelayOptions {
  /** Sends per device. */
  readonly sendLimit: RateLimit;
  /** Envelopes waiting for one device at most; beyond, new sends to it are refused. */
  readonly maxMailbox: number;
  /** Envelopes pushed to a connection and not yet acknowledged, at most. */
  readonly window: number;
  /** Sends queued for the next commit, at most, across all connections. */
  readonly maxQueued: number;
}

export const DEFAULT_RELAY_OPTIONS: RelayOptions = {
  sendLimit: { perSecond: 200, burst: 500 },
  maxMailbox: 10_000,
  window: 256,
  maxQueued: 20_000,
};

/** An envelope just committed, with its seq (metadata log and mailbox). */
export interface CommittedEnvelope {
  readonly seq: number;
  readonly envelope: NewEnvelope;
}

/** An envelope its recipient's device acknowledged, deleted from the mailbox at `deliveredAt`. */
export interface DeliveredEnvelope {
  readonly seq: number;
  readonly messageId: string;
  readonly recipient: string;
  readonly recipientDevice: number;
  readonly sender: string | null;
  readonly senderDevice: number | null;
  readonly deliveredAt: number;
}

/** Told what each turn committed, after the commit (the operator's live stream). */
export interface RelayObserver {
  committed(envelopes: readonly CommittedEnvelope[]): void;
  /** Optional: the relay builds the list of deliveries only while some observer wants it (it runs per ack). */
  delivered?(envelopes: readonly DeliveredEnvelope[]): void;
}

/** Close code when a device connects again elsewhere. */
export const CLOSE_REPLACED = 4409;

/** The framing type, from the envelope's first byte (see shared/crypto/session.ts). */
export function envelopeKind(bodyBase64: string): EnvelopeKind {
  const first = firstByteOfBase64Url(bodyBase64);
  if (first === FRAME_PREKEY) return 'session-start';
  if (first === FRAME_RATCHET) return 'message';
  if (first === FRAME_SEALED) return 'sealed';
  return 'unknown';
}

/** Decoded length of a canonical unpadded base64url string. */
export function decodedLength(base64: string): number {
  return Math.floor((base64.length * 3) / 4);
}

export type SubmitResult = { storedAt: number; duplicate: boolean };
/**
 * Told the fate of each submitted envelope, by id. One handler per connection,
 * not closures per envelope: this runs for every envelope.
 */
export interface SubmitHandler {
  stored(id: string, result: SubmitResult): void;
  failed(id: string, error: ServerError): void;
}
