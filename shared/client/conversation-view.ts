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
import type { MessageId, PolicyMode, Username, ReportReason } from '@envelope/protocol';
import { sentDeletions, type DeliveryState, type SentRecord } from './history.js';
import type { HeldEntry, InboxEntry } from './incoming.js';
import { isReportable } from './report.js';
import type { ClientStore } from './store.js';
import { HeldKind, InboxKind, SentKind } from './record-schemas.js';
import { parseRecord, readRecord } from './store-records.js';
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
  /**
   * The policy mode it was sent under (policy.ts): what the server could read
   * of it. 'e2ee' for everything from before modes existed; a held message
   * has the mode it came under (e2ee or key-escrow: both use sessions).
   */
  mode: PolicyMode;
}

interface Row {
  readonly contact: Username;
  readonly entry: ConversationEntry;
  readonly order: number;
}

function sentRow(sent: SentRecord): Row {
  const entry: ConversationEntry = { id: sent.id, direction: 'sent', peer: sent.to, text: sent.text, at: sent.createdAt, state: sent.state, mode: sent.mode ?? 'e2ee' };
  if (sent.reason !== undefined) entry.reason = sent.reason;
  if (sent.envelopes.some((e) => e.unreadable)) entry.unreadableByPeer = true;
  return { contact: sent.to, entry, order: sent.order };
}

/** Null for a sealed envelope we could not open: it belongs to no conversation. */
function receivedRow(received: InboxEntry): Row | null {
  const contact = received.from;
  if (contact === null) return null;
  const mode = received.mode ?? 'e2ee';
  const entry: ConversationEntry =
    received.kind === 'text'
      ? { id: received.id, direction: 'received', peer: contact, text: received.text, at: received.storedAt, state: 'received', mode }
      : { id: received.id, direction: 'received', peer: contact, text: null, at: received.storedAt, state: 'undecryptable', reason: received.reason, mode };
  if (isReportable(received)) entry.reportable = true;
  if (received.kind === 'text' && received.reported) entry.reported = received.reported;
  return { contact, entry, order: received.order };
}

function heldRow(held: HeldEntry): Row {
  return { contact: held.from, entry: { id: held.id, direction: 'received', peer: held.from, text: null, at: held.storedAt, state: 'held', mode: held.mode ?? 'e2ee' }, order: held.order };
}

/** The row a stored record makes, for the three kinds of record a conversation shows; undefined for any other key. */
function rowOf(key: string, value: unknown): Row | null | undefined {
  if (key.startsWith(keys.sentPrefix)) return sentRow(parseRecord(SentKind, key, value));
  if (key.startsWith(keys.inboxPrefix)) return receivedRow(parseRecord(InboxKind, key, value));
  if (key.startsWith(keys.heldPrefix)) return heldRow(parseRecord(HeldKind, key, value));
  return undefined;
}

function sorted(rows: Iterable<Row>): ConversationEntry[] {
  return [...rows].sort((a, b) => a.entry.at - b.entry.at || a.order - b.order).map((row) => ({ ...row.entry }));
}

/** The conversation with `contact`, read in full from the store (every sent, inbox and held record). */
export async function loadConversation(store: ClientStore, contact: Username): Promise<ConversationEntry[]> {
  const rows: Row[] = [];
  for (const prefix of CONVERSATION_PREFIXES) {
    for (const key of await store.list(prefix)) {
      const value = await store.get(key);
      const row = value === undefined ? null : rowOf(key, value);
      if (row && row.contact === contact) rows.push(row);
    }
  }
  return sorted(rows);
}

const CONVERSATION_PREFIXES = [keys.sentPrefix, keys.inboxPrefix, keys.heldPrefix] as const;

/**
 * Every conversation, kept in memory so showing one after each change costs
 * no store reads. It reads the sent, inbox and held records once, on first
 * use; after that it learns every change from the puts themselves: the client
 * hands it each put its store committed (ownership.ts, `onCommitted`), and a
 * written record replaces its row, a deleted one removes it. Every write of a
 * profile goes through its one owner's store, so nothing can change behind
 * it; a client that takes the profile over builds its own from the store.
 *
 * Puts that commit while the first read is running are queued and applied
 * after it, in order: each sets a row to what was written, so applying one
 * the read had already seen changes nothing.
 */
export class ConversationIndex {
  /** Rows by contact, then by store key (an inbox entry and a held one can share an id). */
  #rows: Map<Username, Map<string, Row>> | null = null;
  /** Which contact each indexed key belongs to, so a deletion finds its row. */
  readonly #contactOf = new Map<string, Username>();
  #loading: Promise<void> | null = null;
  #queued: Readonly<Record<string, unknown>>[] = [];

  constructor(private readonly store: ClientStore) {}

  /** The conversation with `contact`, oldest first (as loadConversation reads it). */
  async conversation(contact: Username): Promise<ConversationEntry[]> {
    const rows = this.#rows ?? (await this.#load());
    return sorted(rows.get(contact)?.values() ?? []);
  }

  /** Applies a put the store has committed. */
  committed(entries: Readonly<Record<string, unknown>>): void {
    if (this.#loading) {
      this.#queued.push(entries);
      return;
    }
    if (!this.#rows) return;
    try {
      this.#apply(this.#rows, entries);
    } catch {
      // A record that does not parse (it was written, so this is a bug): read
      // everything again on the next call, which reports it as STORE_CORRUPT.
      this.#rows = null;
    }
  }

  async #load(): Promise<Map<Username, Map<string, Row>>> {
    this.#loading ??= this.#readAll().finally(() => {
      this.#loading = null;
    });
    await this.#loading;
    return this.#rows!;
  }

  async #readAll(): Promise<void> {
    this.#queued = [];
    this.#contactOf.clear();
    const rows = new Map<Username, Map<string, Row>>();
    for (const prefix of CONVERSATION_PREFIXES) {
      for (const key of await this.store.list(prefix)) {
        const value = await this.store.get(key);
        if (value !== undefined) this.#set(rows, key, rowOf(key, value) ?? null);
      }
    }
    for (const entries of this.#queued.splice(0)) this.#apply(rows, entries);
    this.#rows = rows;
  }

  #apply(rows: Map<Username, Map<string, Row>>, entries: Readonly<Record<string, unknown>>): void {
    for (const [key, value] of Object.entries(entries)) {
      const row = value === undefined ? null : rowOf(key, value);
      if (row !== undefined) this.#set(rows, key, row);
    }
  }

  #set(rows: Map<Username, Map<string, Row>>, key: string, row: Row | null): void {
    const before = this.#contactOf.get(key);
    if (before !== undefined) rows.get(before)?.delete(key);
    this.#contactOf.delete(key);
    if (row === null) return;
    let forContact = rows.get(row.contact);
    if (!forContact) rows.set(row.contact, (forContact = new Map()));
    forContact.set(key, row);
    this.#contactOf.set(key, row.contact);
  }
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
