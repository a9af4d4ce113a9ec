/**
 * "What a thief gets" in words (GET /api/operator/breach, breach.ts on the
 * server): what someone who copies the server's data directory can read,
 * counted the way a class reads it. Texts are messages; delivery receipts and
 * other control messages hold no words and are counted apart.
 */
import type { BreachExport } from '@envelope/protocol';
import { countOf } from '../../ui/policy-view.js';

/** The escrow key's public half, in the data directory once key escrow was ever used (escrow-key.ts). */
export const ESCROW_PUBLIC_FILE = 'escrow-public.json';

export interface BreachLines {
  /** The headline: how many messages of how many people the thief reads, or that it reads none. */
  readonly headline: string;
  /** What else the copy holds, one line each. */
  readonly details: readonly string[];
  /** Key escrow was used here: the demo's share files sit beside the data, and a thief would take them. */
  readonly escrowNote: string | null;
}

export function breachLines(breach: BreachExport): BreachLines {
  const headline =
    breach.messages === 0
      ? 'A thief reads no message text: the server holds none it can read.'
      : `A thief reads ${countOf(breach.messages, 'message')} of ${countOf(breach.people, 'person', 'people')}, in their text.`;
  const details: string[] = [];
  if (breach.controlMessages > 0) details.push(`${countOf(breach.controlMessages, 'control message')} it can read too (delivery receipts and the like: no words in them).`);
  details.push(
    breach.unreadableEnvelopes === 0
      ? 'No end-to-end encrypted envelope is waiting for delivery.'
      : `${countOf(breach.unreadableEnvelopes, 'end-to-end encrypted envelope')} waiting for delivery: the thief has the bytes, not the text.`,
  );
  details.push(`${countOf(breach.metadataRows, 'row')} of the metadata log: who wrote to whom, when and how much, in every mode.`);
  details.push(
    breach.transportKeyFile.exists
      ? `The transport key’s file (${breach.transportKeyFile.name}) is in the copy: with it, every transport-only message ever captured on the network opens too.`
      : 'There is no transport key file in the copy.',
  );
  const escrowNote = breach.files.some((file) => file.name === ESCROW_PUBLIC_FILE)
    ? `Key escrow was used on this server: it keeps ${countOf(breach.escrowRetained, 'ciphertext')} for the escrow, which a thief cannot read without two shares of the escrow key. ` +
      'In this demonstration the three share files sit in the same data directory, so a thief who copies it has them too; in reality each holder keeps its own.'
    : null;
  return { headline, details, escrowNote };
}
