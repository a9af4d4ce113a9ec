/**
 * The user's answer to a key change: trust the new key(s), forget the sessions
 * made with the old ones, and decrypt the messages that were held meanwhile,
 * in the order they arrived.
 */
import type { Username } from '@envelope/protocol';
import { acceptPendingKeys, hasPendingKeyChange } from './contacts.js';
import type { DeviceContext } from './device.js';
import { heldToFrame, receiveEnvelope, type HeldEntry, type ReceiveOutcome } from './incoming.js';
import { ContactKind, HeldKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

/** Held messages from `contact`, oldest first. */
export async function loadHeld(device: Pick<DeviceContext, 'store'>, contact?: Username): Promise<HeldEntry[]> {
  const held: HeldEntry[] = [];
  for (const key of await device.store.list(keys.heldPrefix)) {
    const entry = await readRecord(device.store, HeldKind, key);
    if (entry && (contact === undefined || entry.from === contact)) held.push(entry);
  }
  return held.sort((a, b) => a.order - b.order);
}

/**
 * Accepts every pending key of `contact` and releases the held messages.
 * Returns what became of each of them (a message, undecryptable, or held again
 * if yet another key turned up). No pending change: nothing happens.
 */
export async function trustNewKey(device: DeviceContext, contact: Username): Promise<ReceiveOutcome[]> {
  const record = await readRecord(device.store, ContactKind, keys.contact(contact));
  if (record === undefined || !hasPendingKeyChange(record)) return [];
  const { record: trusted, changedDevices } = acceptPendingKeys(record, device.now());
  const entries: Record<string, unknown> = { [keys.contact(contact)]: trusted };
  // Sessions made with the old key would be read as the old person: drop them.
  for (const deviceId of changedDevices) entries[keys.session(contact, deviceId)] = undefined;
  await device.store.put(entries);

  const outcomes: ReceiveOutcome[] = [];
  for (const held of await loadHeld(device, contact)) {
    outcomes.push(await receiveEnvelope(device, heldToFrame(held), { released: true, alsoPut: { [keys.held(held.id)]: undefined } }));
  }
  return outcomes;
}
