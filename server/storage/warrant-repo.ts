/**
 * Reads for the warrant answer: everything stored about one account, across
 * the prekey, sign-in, metadata-log and mailbox tables. Read-only, and off the
 * relay's hot path: the log and the mailbox have no index by account (see
 * mailbox-repo.ts for why), so these scan them, once per request, which an
 * investigator's request can afford and the relay must not pay for.
 */
import type { PolicyMode } from '@envelope/protocol';
import type { Db } from './database.js';
import { metadataColumns, toMetadataEntry, type MetadataEntry, type MetadataRow } from './metadata-repo.js';

export interface DeviceKeyRecord {
  readonly signedPreKey: { readonly id: number; readonly publicKey: Uint8Array; readonly uploadedAt: number } | undefined;
  readonly oneTimePreKeys: number;
  readonly kemPreKeys: number;
  readonly hasLastResortKemKey: boolean;
  readonly activeSignIns: number;
}

export interface ContactRecord {
  readonly username: string;
  readonly sent: number;
  readonly received: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Receipts marked as such, both ways (not in `sent` or `received`). */
  readonly receipts: number;
  readonly firstAt: number;
  readonly lastAt: number;
}

/** A metadata-log row with what the warrant answer adds: when it was delivered, and its ciphertext's digest. */
export interface LogRecord extends MetadataEntry {
  readonly deliveredAt: number | null;
  readonly ciphertextSha256: Buffer | null;
}

export interface MailboxRecord {
  readonly seq: number;
  readonly messageId: string;
  readonly sender: string | null;
  readonly senderDevice: number | null;
  readonly recipient: string;
  readonly recipientDevice: number;
  readonly storedAt: number;
  readonly mode: PolicyMode;
  readonly body: Buffer;
}

type LogRow = MetadataRow & { delivered_at: number | null; ciphertext_sha256: Buffer | null };

interface MailboxRow {
  seq: number;
  message_id: string;
  sender: string | null;
  sender_device: number | null;
  recipient: string;
  recipient_device: number;
  stored_at: number;
  mode: PolicyMode;
  body: Buffer;
}

const toMailbox = (row: MailboxRow): MailboxRecord => ({
  seq: row.seq,
  messageId: row.message_id,
  sender: row.sender,
  senderDevice: row.sender_device,
  recipient: row.recipient,
  recipientDevice: row.recipient_device,
  storedAt: row.stored_at,
  mode: row.mode,
  body: row.body,
});

const n = (row: { n: number | null } | undefined): number => row?.n ?? 0;

export function warrantRepo(db: Db) {
  const selectSigned = db.prepare<[string, number], { key_id: number; public_key: Buffer; uploaded_at: number }>(
    'SELECT key_id, public_key, uploaded_at FROM signed_prekeys WHERE username = ? AND device_id = ?',
  );
  const countOneTime = db.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM one_time_prekeys WHERE username = ? AND device_id = ?');
  const countKem = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM kem_prekeys WHERE username = ? AND device_id = ? AND last_resort = 0',
  );
  const countLastResort = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM kem_prekeys WHERE username = ? AND device_id = ? AND last_resort = 1',
  );
  const countSignIns = db.prepare<[string, number, number], { n: number }>(
    'SELECT count(*) AS n FROM auth_tokens WHERE username = ? AND device_id = ? AND expires_at > ?',
  );
  // Sent and received per peer in one pass each, merged; envelopes whose sender was hidden name no peer.
  // Marked receipts are counted apart: they are not messages either way.
  const PER_PEER = `
    SELECT recipient AS peer, count(*) - sum(receipt) AS sent, 0 AS received, sum(size) AS bytes_sent, 0 AS bytes_received,
           sum(receipt) AS receipts, min(sent_at) AS first_at, max(sent_at) AS last_at
      FROM metadata_log WHERE sender = @account GROUP BY recipient
    UNION ALL
    SELECT sender AS peer, 0, count(*) - sum(receipt), 0, sum(size), sum(receipt), min(sent_at), max(sent_at)
      FROM metadata_log WHERE recipient = @account AND sender IS NOT NULL GROUP BY sender`;
  const selectContacts = db.prepare<
    { account: string; limit: number },
    { peer: string; sent: number; received: number; bytes_sent: number; bytes_received: number; receipts: number; first_at: number; last_at: number }
  >(
    `SELECT peer, sum(sent) AS sent, sum(received) AS received, sum(bytes_sent) AS bytes_sent, sum(bytes_received) AS bytes_received,
            sum(receipts) AS receipts, min(first_at) AS first_at, max(last_at) AS last_at
       FROM (${PER_PEER}) GROUP BY peer ORDER BY sum(sent) + sum(received) DESC, peer LIMIT @limit`,
  );
  const countContacts = db.prepare<{ account: string }, { n: number }>(`SELECT count(DISTINCT peer) AS n FROM (${PER_PEER})`);
  const countHidden = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM metadata_log WHERE recipient = ? AND sender IS NULL');
  const selectLog = db.prepare<[string, string, number], LogRow>(
    `SELECT ${metadataColumns()}, delivered_at, ciphertext_sha256
       FROM metadata_log WHERE sender = ? OR recipient = ? ORDER BY seq DESC LIMIT ?`,
  );
  // A note to one's own other device counts once as sent and once as received, as the timeline lists it.
  const countLog = db.prepare<[string, string], { n: number }>(
    'SELECT (SELECT count(*) FROM metadata_log WHERE sender = ?) + (SELECT count(*) FROM metadata_log WHERE recipient = ?) AS n',
  );
  const MAILBOX_COLUMNS = 'seq, message_id, sender, sender_device, recipient, recipient_device, stored_at, mode, body';
  const selectWaitingFor = db.prepare<[string, number], MailboxRow>(`SELECT ${MAILBOX_COLUMNS} FROM mailbox WHERE recipient = ? ORDER BY seq LIMIT ?`);
  const countWaitingFor = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM mailbox WHERE recipient = ?');
  const selectSentWaiting = db.prepare<[string, number], MailboxRow>(`SELECT ${MAILBOX_COLUMNS} FROM mailbox WHERE sender = ? ORDER BY seq LIMIT ?`);
  const countSentWaiting = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM mailbox WHERE sender = ?');

  return {
    /** The public keys and sign-ins on file for one device; `now` decides which sign-ins are still valid. */
    deviceKeys(username: string, deviceId: number, now: number): DeviceKeyRecord {
      const signed = selectSigned.get(username, deviceId);
      return {
        signedPreKey: signed && { id: signed.key_id, publicKey: new Uint8Array(signed.public_key), uploadedAt: signed.uploaded_at },
        oneTimePreKeys: n(countOneTime.get(username, deviceId)),
        kemPreKeys: n(countKem.get(username, deviceId)),
        hasLastResortKemKey: n(countLastResort.get(username, deviceId)) > 0,
        activeSignIns: n(countSignIns.get(username, deviceId, now)),
      };
    },
    /** Everyone `account` sent to or received from (attributed envelopes), the busiest first, and how many there are in all. */
    contacts(account: string, limit: number): { total: number; list: ContactRecord[] } {
      const list = selectContacts.all({ account, limit }).map((r) => ({
        username: r.peer,
        sent: r.sent,
        received: r.received,
        bytesSent: r.bytes_sent,
        bytesReceived: r.bytes_received,
        receipts: r.receipts,
        firstAt: r.first_at,
        lastAt: r.last_at,
      }));
      return { total: n(countContacts.get({ account })), list };
    },
    /** Envelopes received by `account` with no sender on record (sealed sender). */
    receivedFromHiddenSenders(account: string): number {
      return n(countHidden.get(account));
    },
    /** Log rows involving `account`, newest first, and how many timeline events they make in all. */
    log(account: string, limit: number): { total: number; rows: LogRecord[] } {
      const rows = selectLog.all(account, account, limit).map((r): LogRecord => ({
        ...toMetadataEntry(r),
        deliveredAt: r.delivered_at,
        ciphertextSha256: r.ciphertext_sha256,
      }));
      return { total: n(countLog.get(account, account)), rows };
    },
    /** Envelopes waiting for any device of `account`, oldest first. */
    waitingFor(account: string, limit: number): { total: number; envelopes: MailboxRecord[] } {
      return { total: n(countWaitingFor.get(account)), envelopes: selectWaitingFor.all(account, limit).map(toMailbox) };
    },
    /** Envelopes `account` sent (attributed) that still wait in a mailbox, oldest first. */
    sentStillWaiting(account: string, limit: number): { total: number; envelopes: MailboxRecord[] } {
      return { total: n(countSentWaiting.get(account)), envelopes: selectSentWaiting.all(account, limit).map(toMailbox) };
    },
  };
}

export type WarrantRepo = ReturnType<typeof warrantRepo>;
