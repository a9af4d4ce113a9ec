/**
 * 'delivered', the last delivery state: the recipient's device acked an
 * envelope. The server says so live (a 'delivered' frame) only to a sender
 * that is connected at that moment; a sender that was offline asks afterwards,
 * on every 'ready', for its newest envelopes still marked 'stored'
 * (GET /api/envelopes/:id, storedEnvelope()). Once the server has forgotten an
 * envelope (metadata retention: NOT_FOUND) it stays 'stored': we never claim a
 * delivery nobody confirmed.
 */
import type { StoredEnvelope } from '../protocol/http.js';
import type { DeviceId, MessageId, Username } from '../protocol/ids.js';
import { isClientError } from './errors.js';
import { loadSent, sentStateUpdate, type SentRecord } from './history.js';
import type { ClientStore } from './store.js';

/**
 * How many envelopes one catch-up asks about: a request each, on every
 * reconnect, so bounded; the newest matter (they are on screen), and a
 * conversation of 50 unconfirmed messages is already far beyond a classroom's.
 */
export const DELIVERED_CATCH_UP_LIMIT = 50;

/** A delivery report: from a 'delivered' frame, or from the server's row for the envelope. */
export interface DeliveryReport {
  readonly id: MessageId;
  readonly to: Username;
  readonly toDevice: DeviceId;
  readonly at: number;
}

export type DeliveredResult =
  /** Not one of ours, a repeat, or sent before history was kept. */
  | { kind: 'unknown' }
  /** The report names another recipient than we sent to: the server is confused or lying. */
  | { kind: 'mismatch' }
  | { kind: 'delivered'; record: SentRecord };

/** Records a delivery report (one put). */
export async function applyDelivered(store: ClientStore, report: DeliveryReport): Promise<DeliveredResult> {
  const update = await sentStateUpdate(store, report.id, { state: 'delivered', at: report.at });
  if (!update) return { kind: 'unknown' };
  if (update.record.to !== report.to || update.envelope.toDevice !== report.toDevice) return { kind: 'mismatch' };
  await store.put(update.entries);
  return { kind: 'delivered', record: update.record };
}

/** The newest `limit` envelopes we sent that are stored but not known delivered, newest first. */
export async function envelopesAwaitingDelivery(store: ClientStore, limit = DELIVERED_CATCH_UP_LIMIT): Promise<MessageId[]> {
  const ids: MessageId[] = [];
  const records = await loadSent(store);
  for (const record of records.reverse()) {
    if (record.sealed) continue; // the server does not know we sent it, so it cannot say it arrived
    for (const envelope of record.envelopes) if (envelope.state === 'stored') ids.push(envelope.id);
    if (ids.length >= limit) break;
  }
  return ids.slice(0, limit);
}

/**
 * Asks the server about each envelope awaiting delivery and hands every one
 * it reports delivered to `onDelivered` (which records it, in the client's
 * queue). NOT_FOUND: the server no longer knows; skipped. Any other error
 * ends the round (the next 'ready' tries again).
 */
export async function catchUpDelivered(
  store: ClientStore,
  fetchStored: (id: MessageId) => Promise<StoredEnvelope>,
  onDelivered: (report: DeliveryReport) => Promise<void>,
  stopped: () => boolean,
): Promise<void> {
  for (const id of await envelopesAwaitingDelivery(store)) {
    if (stopped()) return;
    let row: StoredEnvelope;
    try {
      row = await fetchStored(id);
    } catch (error) {
      if (isClientError(error, 'NOT_FOUND')) continue;
      throw error;
    }
    if (row.deliveredAt !== null) await onDelivered({ id, to: row.recipient, toDevice: row.recipientDevice, at: row.deliveredAt });
  }
}
