/**
 * What a message does once its bytes are in the clear, whichever way they came:
 * decrypted from a session (incoming.ts), or opened by the server and delivered
 * in transport-only (transport-receive.ts). A session reset flags what it names
 * as unreadable; a receipt marks our envelopes delivered; a text must open its
 * franking commitment (or it is refused: nobody could prove abuse in it), is
 * stored with its pending receipt, and teaches us the sender's profile key.
 * Everything goes into one put with `entries` (what the caller's own handling
 * changed, e.g. the advanced session) and `seen`.
 */
import { fromBase64Url, utf8Encode, verifyCommitment } from '@envelope/crypto-public';
import type { DeviceId, Username } from '@envelope/protocol';
import { withProfileKey, type ContactRecord } from './contacts.js';
import type { DeviceContext } from './device.js';
import { isClientError } from './errors.js';
import { unreadableByPeerEntries } from './history.js';
import type { FrankingOpening, MessageFrame, ReceiveOutcome, TextInboxEntry, UndecryptableReason } from './incoming.js';
import { decodeMessage } from './message-codec.js';
import { pendingReceiptEntry, PENDING_RECEIPT_VERSION, receiptDeliveries } from './receipts.js';
import { keys } from './store-keys.js';

export interface DecodedMessageContext {
  readonly frame: MessageFrame;
  readonly from: Username;
  readonly fromDevice: DeviceId;
  /** Sent with sealed sender (the server was not told who sent it). */
  readonly sealed: boolean;
  /** The inbox entry's common fields (receiveEnvelope's `base`, with the mode it was sent under). */
  readonly base: Omit<TextInboxEntry, 'kind' | 'text' | 'sentAt' | 'order' | 'franking' | 'sealedSender' | 'reported'>;
  /** What the caller's handling changed, stored in the same put, whatever the outcome. */
  readonly entries: Record<string, unknown>;
  /** The seen-set entry (and the caller's extra entries). */
  readonly seen: Readonly<Record<string, unknown>>;
  /** The sender's contact record as it now stands (to keep their profile key); undefined for a stranger. */
  readonly contact: ContactRecord | undefined;
  /** The X-ray's record of the raw message, stored with a text. */
  readonly rawEntries: Readonly<Record<string, unknown>>;
  /** Stores it as unreadable (or drops a marked receipt), with `extra`. */
  fail(reason: UndecryptableReason, extra: Record<string, unknown>): Promise<ReceiveOutcome>;
}

export async function storeDecodedMessage(device: DeviceContext, plaintext: Uint8Array, context: DecodedMessageContext): Promise<ReceiveOutcome> {
  const { store } = device;
  const { frame, from, fromDevice, sealed, base, entries, seen, fail } = context;
  let message;
  try {
    message = decodeMessage(plaintext);
  } catch (error) {
    return fail(isClientError(error) ? error.code : 'PROTOCOL_ERROR', entries);
  }
  if (message.kind === 'session-reset') {
    // A control message: no inbox entry, nothing to show; what it names as unreadable is news for our history.
    const flagged = await unreadableByPeerEntries(store, from, message.unreadable);
    await store.put({ ...entries, ...flagged, ...seen });
    return { kind: 'control', contact: from, deviceId: fromDevice, flagged: Object.keys(flagged).length, delivered: [], at: frame.sentAt };
  }
  if (message.kind === 'receipt') {
    // Their device has these envelopes of ours. Delivered as of when the server stored the
    // receipt (its clock, like every other time in the history). A receipt earns no receipt.
    const { entries: delivered, confirmed } = await receiptDeliveries(store, from, fromDevice, message.ids, frame.sentAt);
    await store.put({ ...entries, ...delivered, ...seen });
    return { kind: 'control', contact: from, deviceId: fromDevice, flagged: 0, delivered: confirmed, at: frame.sentAt };
  }
  // A text message must be reportable: a sender whose commitment does not open
  // (or who sent none) could otherwise send abuse nobody can prove. Refused, as
  // Messenger's clients refuse it; shown as unreadable with the reason.
  if (frame.commitment === undefined || frame.stamp === undefined || !verifyCommitment(utf8Encode(message.text), fromBase64Url(message.fk, 'fk', 32), fromBase64Url(frame.commitment, 'commitment', 32))) {
    return fail('FRANKING_INVALID', entries);
  }
  const franking: FrankingOpening = { key: message.fk, commitment: frame.commitment, stamp: frame.stamp };
  // Their profile key: from now on we can seal messages to them (profile-key.ts).
  const { contact } = context;
  const profile = message.pk !== undefined && contact !== undefined && contact.profileKey !== message.pk ? { [keys.contact(from)]: withProfileKey(contact, message.pk) } : {};
  const entry: TextInboxEntry = {
    ...base,
    from,
    fromDevice,
    kind: 'text',
    text: message.text,
    sentAt: message.sentAt,
    franking,
    ...(sealed ? { sealedSender: true as const } : {}),
    order: device.nextOrder(),
  };
  // The receipt to send its device, in the same put: stored means it will be sent (receipts.ts).
  const receipt = pendingReceiptEntry({ v: PENDING_RECEIPT_VERSION, id: frame.id, from, fromDevice, ...(sealed ? { sealed: true as const } : {}), order: entry.order });
  await store.put({ ...entries, ...profile, [keys.inbox(frame.id)]: entry, ...context.rawEntries, ...receipt, ...seen });
  return { kind: 'message', entry };
}
