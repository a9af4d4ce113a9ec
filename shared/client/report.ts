/**
 * Reporting a received message (message franking, shared/crypto-public/franking.ts).
 * The report hands the server exactly one message: its text, the franking key
 * that came inside the ciphertext, and the commitment and stamp that came
 * beside it. The server checks both and files the report, or refuses it with a
 * reason (REPORT_REJECTED). Nothing else of the conversation leaves the device.
 *
 * The inbox entry then records the report, so the app shows "reported" and a
 * second report of the same message is not sent again.
 */
import type { MessageId, FiledReport, ReportReason, ReportRequestWire } from '@envelope/protocol';
import { ClientError } from './errors.js';
import type { InboxEntry, TextInboxEntry } from './incoming.js';
import type { ClientStore } from './store.js';
import { InboxKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

export type ReportSender = (request: ReportRequestWire) => Promise<FiledReport>;

/** Whether the app can offer "Report" for this entry (false: not received here as text, or stored before reports existed). */
export function isReportable(entry: InboxEntry): entry is TextInboxEntry & { franking: NonNullable<TextInboxEntry['franking']>; from: NonNullable<TextInboxEntry['from']> } {
  return entry.kind === 'text' && entry.franking !== undefined && entry.from !== null;
}

export function reportRequest(entry: InboxEntry, reason: ReportReason): ReportRequestWire {
  if (!isReportable(entry)) {
    throw new ClientError('NOT_REPORTABLE', entry.kind === 'text' ? 'this message was received before reports existed: it cannot be proved' : 'only a message that was read can be reported');
  }
  return {
    messageId: entry.id,
    sender: entry.from,
    sealedSender: entry.sealedSender === true,
    sentAt: entry.storedAt,
    reason,
    text: entry.text,
    frankingKey: entry.franking.key,
    commitment: entry.franking.commitment,
    stamp: entry.franking.stamp,
  };
}

/** Reports message `id` (an envelope we received); the filed report, after recording it on the inbox entry. */
export async function reportMessage(store: ClientStore, id: MessageId, reason: ReportReason, send: ReportSender, now: number): Promise<FiledReport> {
  const entry = await readRecord(store, InboxKind, keys.inbox(id));
  if (!entry) throw new ClientError('NOT_REPORTABLE', `no received message ${id} on this device`);
  const filed = await send(reportRequest(entry, reason));
  const latest = await readRecord(store, InboxKind, keys.inbox(id));
  if (latest?.kind === 'text') {
    const reported: TextInboxEntry = { ...latest, reported: { reportId: filed.id, at: now, reason } };
    await store.put({ [keys.inbox(id)]: reported });
  }
  return filed;
}
