/**
 * GET /api/envelopes/:id, the X-ray's server row: exactly what the server holds
 * for one envelope, shown to the people it concerns. An account sees the row of
 * an envelope it sent or received; to anyone else the answer is the same
 * NOT_FOUND as for an id that never existed, so the endpoint cannot be used to
 * learn who talks to whom.
 *
 * Envelope ids are unique per recipient device (the relay keys them by
 * (recipient, device, id)), so one id can name several rows: the caller's own
 * row as recipient comes first; a sender gets its first row (the lowest seq),
 * which for a one-device recipient is the only one.
 *
 * GET /api/envelopes/:id/sealed is the same row for the sender of a sealed
 * envelope, who cannot be named (storedSealedEnvelopeFor).
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { StoredEnvelopeResponseSchema } from '@envelope/protocol';
import { ServerError } from '../errors.js';
import type { MetadataRepo, StoredEnvelopeRecord } from '../storage/metadata-repo.js';
import type { AuthenticatedDevice } from './auth.js';

export type StoredEnvelopeWire = z.input<typeof StoredEnvelopeResponseSchema>;

export function storedEnvelopeFor(metadata: MetadataRepo, caller: AuthenticatedDevice, messageId: string): StoredEnvelopeWire {
  return toWire(metadata.storedFor(messageId, caller.username, caller.deviceId), 'no envelope with that id that you sent or received');
}

/**
 * The row of a sealed-sender envelope, asked for with no token (its sender's
 * X-ray: the server does not know the sender, and must not learn it by the
 * asking). The id, random and known only to the two ends, and the recipient
 * device name it. An envelope with a recorded sender is NOT_FOUND here, like
 * one that never existed: its row would tell whoever holds the id who wrote to whom.
 */
export function storedSealedEnvelopeFor(metadata: MetadataRepo, messageId: string, recipient: string, recipientDevice: number): StoredEnvelopeWire {
  return toWire(metadata.storedSealed(messageId, recipient, recipientDevice), 'no sealed envelope with that id for that device');
}

function toWire(row: StoredEnvelopeRecord | undefined, notFound: string): StoredEnvelopeWire {
  // A row from before the digest column existed has one only while its ciphertext is still held.
  const digest = row?.ciphertextSha256 ?? (row?.body ? createHash('sha256').update(row.body).digest() : null);
  if (!row || !digest) throw new ServerError('NOT_FOUND', notFound);
  return {
    envelope: {
      id: row.messageId,
      sender: row.sender,
      senderDevice: row.senderDevice,
      recipient: row.recipient,
      recipientDevice: row.recipientDevice,
      receivedAt: row.sentAt,
      size: row.size,
      kind: row.kind,
      deliveredAt: row.deliveredAt,
      ciphertextSha256: digest.toString('base64url'),
      ciphertext: row.body ? row.body.toString('base64url') : null,
      mode: row.mode,
    },
  };
}
