/**
 * The relay's port for key escrow (shared/protocol policy.ts `key-escrow`;
 * docs/lawful-access.md), implemented by server/lawful-access (escrow-retained.ts)
 * and wired in by server/app.ts.
 *
 * Under key escrow the server must keep each ciphertext after delivery, with
 * its access field, or the escrow's holders have nothing to open: the relay
 * hands every key-escrow envelope it commits to `retain`, inside the turn's
 * transaction (the same hook the transport-only content log uses), so an
 * accepted envelope is in the mailbox, the metadata log and the retained set
 * together, or in none. The relay itself opens nothing: it cannot, and it
 * cannot check the checkword either (that takes the message key).
 */

/** One key-escrow envelope as committed: the retained row (escrow_retained, migration 9). */
export interface RetainedEnvelope {
  readonly seq: number;
  readonly messageId: string;
  readonly sender: string | null;
  readonly recipient: string;
  readonly storedAt: number;
  /** base64url, as received and delivered. */
  readonly body: string;
  /** The access field, base64url. */
  readonly access: string;
}

export interface EscrowRetention {
  /** Keeps the rows; called inside the relay's commit transaction. */
  retain(rows: readonly RetainedEnvelope[]): void;
}

/** For a relay with no lawful-access part wired in (unit tests): retains nothing. */
export const NO_ESCROW_RETENTION: EscrowRetention = { retain: () => {} };
