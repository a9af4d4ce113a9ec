/**
 * The breach demonstration (docs/lawful-access.md, "What it costs" 1): what
 * someone who copies the server's data directory gets. It does what a thief
 * does with the copy: opens the SQLite file (read-only, a connection of its
 * own, no help from the running server) and reads every message the server
 * could read, from the content log and from the mailbox (transport-only
 * rows keep the opened payload until delivery), and notes the transport
 * key's file, with which every transport-only envelope ever captured on the
 * network opens as well. End-to-end envelopes are counted, not read: the
 * thief has their bytes and no key.
 *
 * It is an operator action (GET /api/operator/breach), not the agency's: a
 * thief is not a lawful requester, and the server's own operator is the one
 * who can show what its disk holds.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeTransportPayload, MAX_BREACH_FILES, MAX_BREACH_PEOPLE, MAX_BREACH_SAMPLE, type BreachExportWire, type InterceptedMessageWire } from '@envelope/protocol';
import { readMessageText } from './message-text.js';

/** transport-key.ts keeps the key pair in this file of DATA_DIR. */
export const TRANSPORT_KEY_FILE_NAME = 'transport-key.json';

export interface BreachSource {
  readonly dataDir: string;
  /** The SQLite file (in dataDir). */
  readonly databasePath: string;
}

interface ContentLogRow {
  seq: number;
  message_id: string;
  sender: string | null;
  recipient: string;
  stored_at: number;
  kind: string;
  text: string | null;
}

interface MailboxRow {
  seq: number;
  message_id: string;
  sender: string | null;
  recipient: string;
  stored_at: number;
  body: Buffer;
}

export function breachExport(source: BreachSource): BreachExportWire {
  const db = new Database(source.databasePath, { readonly: true, fileMustExist: true });
  try {
    return { ...db.transaction(() => readEverything(db))(), ...dataDirectoryFiles(source.dataDir) };
  } finally {
    db.close();
  }
}

function readEverything(db: Database.Database): Omit<BreachExportWire, 'files' | 'transportKeyFile'> {
  // One copy of each message, by its metadata-log seq (the content log and the mailbox share it).
  const messages = new Map<number, InterceptedMessageWire>();
  let fromContentLog = 0;
  for (const row of db.prepare<[], ContentLogRow>('SELECT seq, message_id, sender, recipient, stored_at, kind, text FROM content_log ORDER BY seq').iterate()) {
    fromContentLog += 1;
    messages.set(row.seq, { seq: row.seq, messageId: row.message_id, sender: row.sender, recipient: row.recipient, storedAt: row.stored_at, kind: row.kind, text: row.text });
  }
  let fromMailbox = 0;
  let unreadableEnvelopes = 0;
  const mailbox = db.prepare<[], MailboxRow & { mode: string }>('SELECT seq, message_id, sender, recipient, stored_at, body, mode FROM mailbox ORDER BY seq');
  for (const row of mailbox.iterate()) {
    const read = row.mode === 'transport-only' ? readPayload(row.body) : null;
    if (!read) {
      unreadableEnvelopes += 1;
      continue;
    }
    fromMailbox += 1;
    if (!messages.has(row.seq)) {
      messages.set(row.seq, { seq: row.seq, messageId: row.message_id, sender: row.sender, recipient: row.recipient, storedAt: row.stored_at, ...read });
    }
  }
  // Texts are what a reader means by messages; receipts and other control messages are counted apart.
  const texts = [...messages.values()].filter((m) => m.kind === 'text');
  const perPerson = new Map<string, number>();
  for (const message of texts) {
    for (const name of new Set([message.sender, message.recipient])) if (name !== null) perPerson.set(name, (perPerson.get(name) ?? 0) + 1);
  }
  return {
    messages: texts.length,
    controlMessages: messages.size - texts.length,
    people: perPerson.size,
    fromContentLog,
    fromMailbox,
    unreadableEnvelopes,
    escrowRetained: db.prepare<[], number>('SELECT count(*) FROM escrow_retained').pluck().get()!,
    metadataRows: db.prepare<[], number>('SELECT count(*) FROM metadata_log').pluck().get()!,
    peopleList: [...perPerson]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, MAX_BREACH_PEOPLE)
      .map(([username, count]) => ({ username, messages: count })),
    sample: texts.slice(-MAX_BREACH_SAMPLE).reverse(),
  };
}

/** What a transport-only mailbox body says, or null if it is not a payload this reader knows. */
function readPayload(body: Buffer): { kind: string; text: string | null } | null {
  try {
    return readMessageText(decodeTransportPayload(new Uint8Array(body)).message);
  } catch {
    return null;
  }
}

/** The data directory's files (names and sizes): what the copy holds besides the database. */
function dataDirectoryFiles(dataDir: string): { files: BreachExportWire['files']; transportKeyFile: BreachExportWire['transportKeyFile'] } {
  const files = readdirSync(dataDir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => ({ name: entry.name, bytes: statSync(join(dataDir, entry.name)).size }))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, MAX_BREACH_FILES);
  return { files, transportKeyFile: { name: TRANSPORT_KEY_FILE_NAME, exists: existsSync(join(dataDir, TRANSPORT_KEY_FILE_NAME)) } };
}
