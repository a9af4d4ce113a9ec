/**
 * One conversation as the app shows it: what this device sent to a contact
 * (history.ts) merged with what it received from them (the inbox, and messages
 * held for a key decision), oldest first.
 *
 * Order is by `at`: our clock for what we sent, the server's clock (when it
 * stored the envelope) for what we received, so a message received late after
 * being offline still sits where it was written rather than where it was
 * read. Ties (and clocks that agree to the millisecond) fall back to the order
 * this device recorded them in.
 */
import type { MessageId, Username } from '../protocol/ids.js';
import type { ReportReason } from '../protocol/reports.js';
import { loadSent, sentDeletions, type DeliveryState } from './history.js';
import { loadInbox } from './incoming.js';
import { loadHeld } from './key-change.js';
import { isReportable } from './report.js';
import type { ClientStore } from './store.js';
import { InboxKind, SentKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

export interface ConversationEntry {
  id: MessageId;
  direction: 'sent' | 'received';
  peer: Username;
  /** Null when held (awaiting trustNewKey) or unreadable. */
  text: string | null;
  at: number;
  state: DeliveryState | 'received' | 'held' | 'undecryptable';
  /** Why it failed or could not be read (an error code). */
  reason?: string;
  /** Sent only: the recipient's device reported it could not decrypt it (after a key reset there); resend if it matters. */
  unreadableByPeer?: true;
  /** Received only: "Report" can be offered (report.ts). */
  reportable?: true;
  /** Received only: the user reported it, and the server filed the report. */
  reported?: { reportId: number; at: number; reason: ReportReason };
}

export async function loadConversation(store: ClientStore, contact: Username): Promise<ConversationEntry[]> {
  const rows: { entry: ConversationEntry; order: number }[] = [];
  for (const sent of await loadSent(store, contact)) {
    const entry: ConversationEntry = { id: sent.id, direction: 'sent', peer: contact, text: sent.text, at: sent.createdAt, state: sent.state };
    if (sent.reason !== undefined) entry.reason = sent.reason;
    if (sent.envelopes.some((e) => e.unreadable)) entry.unreadableByPeer = true;
    rows.push({ entry, order: sent.order });
  }
  for (const received of await loadInbox({ store })) {
    if (received.from !== contact) continue;
    const entry: ConversationEntry =
      received.kind === 'text'
        ? { id: received.id, direction: 'received', peer: contact, text: received.text, at: received.storedAt, state: 'received' }
        : { id: received.id, direction: 'received', peer: contact, text: null, at: received.storedAt, state: 'undecryptable', reason: received.reason };
    if (isReportable(received)) entry.reportable = true;
    if (received.kind === 'text' && received.reported) entry.reported = received.reported;
    rows.push({ entry, order: received.order });
  }
  for (const held of await loadHeld({ store }, contact)) {
    rows.push({ entry: { id: held.id, direction: 'received', peer: contact, text: null, at: held.storedAt, state: 'held' }, order: held.order });
  }
  return rows.sort((a, b) => a.entry.at - b.entry.at || a.order - b.order).map((row) => row.entry);
}

/** Deletes messages (received, with their raw envelopes, or sent) in one put; returns the contacts whose conversations changed. */
export async function removeFromHistory(store: ClientStore, ids: readonly MessageId[]): Promise<Set<Username>> {
  const entries: Record<string, unknown> = {};
  const touched = new Set<Username>();
  for (const id of ids) {
    const received = await readRecord(store, InboxKind, keys.inbox(id));
    if (received?.from) touched.add(received.from);
    Object.assign(entries, { [keys.inbox(id)]: undefined, [keys.received(id)]: undefined });
    const sent = await readRecord(store, SentKind, keys.sent(id));
    if (sent) {
      touched.add(sent.to);
      Object.assign(entries, sentDeletions(sent));
    }
  }
  await store.put(entries);
  return touched;
}
