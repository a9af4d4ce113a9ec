/**
 * The relay's port to the one part of the server that reads content
 * (server/lawful-access, wired in by server/app.ts): what it needs to accept
 * an envelope sent under a content-access mode. The relay itself still opens
 * nothing; it hands such an envelope over and keeps what comes back.
 *
 * transport-only (shared/protocol/policy.ts, transport.ts): the envelope is
 * sealed to the server's transport key. Admission opens it, checks what is
 * inside (for a sealed send, the sender certificate, with the server's own
 * certificate key), reads the message's kind and text, and returns the
 * opened payload (what the recipient is given) and the content row to keep.
 * Recording happens inside the relay's commit transaction, with the seqs the
 * envelopes were stored under: an accepted message is in the mailbox, the
 * metadata log and the content log together, or in none.
 */
import type { EnvelopeMode } from '@envelope/protocol';
import { ServerError } from '../errors.js';

/** The text the server read from one envelope (a content_log row without its seq). */
export interface ReadContent {
  readonly messageId: string;
  /** The signed-in sender, or the name in a sealed send's certificate. */
  readonly sender: string | null;
  readonly senderSource: 'signed-in' | 'certificate';
  readonly recipient: string;
  readonly storedAt: number;
  readonly mode: EnvelopeMode;
  readonly kind: 'text' | 'receipt' | 'session-reset' | 'unknown';
  readonly text: string | null;
}

export interface TransportEnvelope {
  readonly messageId: string;
  /** The signed-in sender; null for a sealed send (POST /api/sealed), whose sender is in the certificate inside. */
  readonly sender: string | null;
  readonly recipient: string;
  readonly storedAt: number;
  /** As received: base64url of the sealed bytes. */
  readonly body: string;
}

export type Admission =
  | { readonly ok: true; /** The opened, padded payload, base64url: the body kept for delivery. */ readonly body: string; readonly content: ReadContent }
  | { readonly ok: false; /** Why it was refused, in plain words (the sender sees it). */ readonly reason: string };

export interface TransportAdmission {
  /** Opens a transport-only envelope; { ok: false } when it does not open or what is inside does not fit. */
  admit(envelope: TransportEnvelope): Admission;
  /** Keeps what was read; called inside the relay's commit transaction. */
  record(rows: readonly (ReadContent & { readonly seq: number })[]): void;
}

/** For a relay with no content access wired in (unit tests): every transport-only envelope is refused. */
export const NO_TRANSPORT_ADMISSION: TransportAdmission = {
  admit: () => ({ ok: false, reason: 'this server does not accept transport-only envelopes' }),
  record: () => {},
};

/**
 * Hands an envelope to the port for the relay: the body to keep and what was
 * read, or the error its sender is told (BAD_TRANSPORT_ENVELOPE when it does
 * not fit; INTERNAL, logged, if the port itself failed).
 */
export function admitTransport(
  port: TransportAdmission,
  envelope: TransportEnvelope,
  log: (line: string) => void,
): { ok: true; body: string; content: ReadContent } | { ok: false; error: ServerError } {
  try {
    const admitted = port.admit(envelope);
    if (!admitted.ok) return { ok: false, error: new ServerError('BAD_TRANSPORT_ENVELOPE', admitted.reason) };
    return admitted;
  } catch (error) {
    log(`relay: opening a transport-only envelope failed: ${(error as Error).message}`);
    return { ok: false, error: new ServerError('INTERNAL', 'the server could not read the envelope: resend it') };
  }
}
