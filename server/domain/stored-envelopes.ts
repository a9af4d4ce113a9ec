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
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { StoredEnvelopeResponseSchema } from '../../shared/protocol/http.js';
import { ServerError } from '../errors.js';
import type { MetadataRepo } from '../storage/metadata-repo.js';
import type { AuthenticatedDevice } from './auth.js';

export type StoredEnvelopeWire = z.input<typeof StoredEnvelopeResponseSchema>;

export function storedEnvelopeFor(metadata: MetadataRepo, caller: AuthenticatedDevice, messageId: string): StoredEnvelopeWire {
  const row = metadata.storedFor(messageId, caller.username, caller.deviceId);
  // A row from before the digest column existed has one only while its ciphertext is still held.
  const digest = row?.ciphertextSha256 ?? (row?.body ? createHash('sha256').update(row.body).digest() : null);
  if (!row || !digest) throw new ServerError('NOT_FOUND', 'no envelope with that id that you sent or received');
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
    },
  };
}
