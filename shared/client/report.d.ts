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
import type { InboxEntry, TextInboxEntry } from './incoming.js';
import type { ClientStore } from './store.js';
export type ReportSender = (request: ReportRequestWire) => Promise<FiledReport>;
/** Whether the app can offer "Report" for this entry (false: not received here as text, or stored before reports existed). */
export declare function isReportable(entry: InboxEntry): entry is TextInboxEntry & {
    franking: NonNullable<TextInboxEntry['franking']>;
    from: NonNullable<TextInboxEntry['from']>;
};
export declare function reportRequest(entry: InboxEntry, reason: ReportReason): ReportRequestWire;
/** Reports message `id` (an envelope we received); the filed report, after recording it on the inbox entry. */
export declare function reportMessage(store: ClientStore, id: MessageId, reason: ReportReason, send: ReportSender, now: number): Promise<FiledReport>;
