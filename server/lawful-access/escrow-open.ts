/**
 * Opening a retained key-escrow envelope with the rebuilt escrow private key,
 * with libsodium alone: never the Double Ratchet or session code (the build
 * refuses it here). The access field (crypto-public escrow-field.ts) seals the
 * message key, the AEAD's associated data and where the AEAD ciphertext starts
 * in the body; the ratchet encrypts with XChaCha20-Poly1305 keyed by the message
 * key, nonce zero (shared/crypto/ratchet.ts), so that is all it takes.
 *
 * A field that does not open (its seal is not to this key, or what it holds
 * does not open the body: a rogue client's field, Blaze 1994) is reported as
 * "opens to nothing", never an error: the agency sees which messages escrow
 * failed to reach.
 */
import { decodeAccessField, decodeEscrowSealedContent, unpad, wipe } from '@envelope/crypto-public';
import type { EscrowOpenedMessage } from '@envelope/protocol';
import { readMessageText } from './message-text.js';
import type { RetainedRow } from './escrow-retained.js';
import { sodium } from './sodium.js';

/** XChaCha20-Poly1305's nonce: always zero here, as each message key is used once (ratchet.ts). */
const ZERO_NONCE = new Uint8Array(24);

export interface EscrowKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** What the escrow reads in one retained envelope. */
export function openRetained(keys: EscrowKeyPair, row: RetainedRow): EscrowOpenedMessage {
  const base = {
    seq: row.seq,
    messageId: row.messageId,
    sender: row.sender,
    recipient: row.recipient,
    storedAt: row.storedAt,
    mode: 'key-escrow' as const,
  } as EscrowOpenedMessage;
  const s = sodium();
  let content: ReturnType<typeof decodeEscrowSealedContent> | null = null;
  try {
    content = decodeEscrowSealedContent(s.crypto_box_seal_open(decodeAccessField(row.access).sealed, keys.publicKey, keys.privateKey));
    if (content.ciphertextOffset > row.body.length) throw new Error('offset past the body');
    const padded = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, row.body.subarray(content.ciphertextOffset), content.associatedData, ZERO_NONCE, content.messageKey);
    const { kind, text } = readMessageText(unpad(padded));
    return { ...base, outcome: 'opened', kind, text };
  } catch {
    return { ...base, outcome: 'opens-to-nothing', kind: null, text: null };
  } finally {
    if (content) wipe(content.messageKey);
  }
}
