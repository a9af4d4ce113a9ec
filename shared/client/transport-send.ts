/**
 * Sending in the transport-only mode (@envelope/protocol policy.ts): what
 * messaging was before end-to-end encryption. Per recipient device, the very
 * message bytes the end-to-end mode would encrypt (message-codec.ts) go into a
 * transport payload (with the sender certificate for a sealed send), padded
 * to the message buckets, sealed to the server's transport key
 * (@envelope/crypto transport.ts: crypto_box_seal, a fresh ephemeral key per
 * seal). The server opens it, reads it, and delivers the payload.
 *
 * No Double Ratchet session is created, read or advanced: a message sent in
 * this mode leaves every session exactly as it was, so switching back to e2ee
 * continues each session where it stood (no message key is used twice, none
 * skipped).
 */
import { toBase64Url } from '@envelope/crypto-public';
import { sealToServer } from '@envelope/crypto';
import { encodeTransportPayload, type DeviceId, type MessageId, type Username } from '@envelope/protocol';
import { hasPendingKeyChange } from './contacts.js';
import type { DeviceContext } from './device.js';
import { ClientError } from './errors.js';
import { newMessageId } from './message-id.js';
import { checkedBundle, keyChangedError, OUTBOX_ENTRY_VERSION, type BundleFetcher, type OutboxEntry } from './outgoing.js';
import { ContactKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

/** The devices of one contact to seal a message for, and the server's key to seal it to. */
export interface TransportRecipients {
  readonly transportKey: Uint8Array;
  readonly devices: readonly DeviceId[];
}

/**
 * The devices to send `contact` a transport-only message: the ones we trust,
 * or, for someone we have never written to, the ones in their bundle.
 *
 * Why the trusted list, and the bundle's identity checks kept as in e2ee:
 * in this mode the server reads the message whatever keys the devices have,
 * so a key check protects no content here. But the contact record is what the
 * end-to-end mode trusts when the operator switches back: a key first seen
 * now is trusted on first use exactly as an e2ee send would have trusted it,
 * and a pending key change still stops sending (KEY_CHANGED) until the user
 * decides, so the mode never changes what the safety number warnings mean.
 * The bundle is fetched only when no device is known, as e2ee does; that
 * hands out one-time prekeys nobody uses (the server refills them), the price
 * of not opening a session here.
 */
export async function transportRecipients(
  device: DeviceContext,
  contact: Username,
  fetchBundle: BundleFetcher,
  transportKey: Uint8Array,
): Promise<TransportRecipients> {
  const record = await readRecord(device.store, ContactKind, keys.contact(contact));
  if (hasPendingKeyChange(record)) throw keyChangedError(contact);
  const trusted = Object.keys(record?.devices ?? {}).map((id) => Number(id) as DeviceId);
  if (trusted.length > 0) return { transportKey, devices: trusted };
  const { bundle, contactRecord } = await checkedBundle(device, contact, record, fetchBundle);
  await device.store.put({ [keys.contact(contact)]: contactRecord });
  return { transportKey, devices: bundle.devices.map((entry) => entry.deviceId) };
}

/**
 * `message` sealed to the server once per device: the outbox entries (marked
 * transport-only), the store entries to put, and the padded payload (the same
 * for every device; what the X-ray shows).
 */
export function sealForDevices(
  device: DeviceContext,
  to: Username,
  message: Uint8Array,
  recipients: TransportRecipients,
  now: number,
  extra: Pick<OutboxEntry, 'control' | 'commitment'> = {},
  sealWith?: { certificate: Uint8Array; accessKey: string },
): { messageId: MessageId; envelopes: OutboxEntry[]; entries: Record<string, unknown>; padded: Uint8Array } {
  if (recipients.devices.length === 0) throw new ClientError('UNKNOWN_USER', `${to} has no devices to send to`, { contact: to });
  // A sealed send puts the certificate inside: the server reads it (sealing hides nothing from a server that reads content).
  const padded = encodeTransportPayload({ certificate: sealWith?.certificate ?? null, message });
  const messageId = newMessageId();
  const envelopes: OutboxEntry[] = [];
  const entries: Record<string, unknown> = {};
  for (const deviceId of recipients.devices) {
    const envelope: OutboxEntry = {
      v: OUTBOX_ENTRY_VERSION,
      id: envelopes.length === 0 ? messageId : newMessageId(),
      messageId,
      to,
      toDevice: deviceId,
      body: toBase64Url(sealToServer(recipients.transportKey, padded)),
      createdAt: now,
      order: device.nextOrder(),
      mode: 'transport-only',
      ...extra,
      ...(sealWith ? { sealed: true as const, accessKey: sealWith.accessKey } : {}),
    };
    envelopes.push(envelope);
    entries[keys.outbox(envelope.id)] = envelope;
  }
  return { messageId, envelopes, entries, padded };
}
