import { type MessageId } from '@envelope/protocol';
import type { ContactRecord } from './contacts.js';
import type { SentRecord } from './history.js';
import type { HeldEntry, InboxEntry } from './incoming.js';
import type { OutboxEntry } from './outgoing.js';
import type { OwnerRecord } from './ownership.js';
import type { PendingReceipt } from './receipts.js';
import type { ClientSettings } from './sealed.js';
import type { ResetNoticeRecord } from './session-reset.js';
import { AccessKeyRegisteredKind, KemPreKeyKind, OneTimePreKeyKind, PendingResetKind, ProfileKeyKind, SelfKind, SenderCertificateKind, ServerCertificateKeyKind, SignedPreKeyKind } from './key-record-schemas.js';
import { type RecordKind } from './store-records.js';
import type { ReceivedRaw } from './xray.js';
export { AccessKeyRegisteredKind, KemPreKeyKind, OneTimePreKeyKind, PendingResetKind, ProfileKeyKind, SelfKind, SenderCertificateKind, ServerCertificateKeyKind, SignedPreKeyKind, };
export declare const OwnerKind: RecordKind<OwnerRecord>;
export declare const ContactKind: RecordKind<ContactRecord>;
export declare const OutboxKind: RecordKind<OutboxEntry>;
export declare const InboxKind: RecordKind<InboxEntry>;
export declare const HeldKind: RecordKind<HeldEntry>;
/** seen/ID: when the envelope was handled (our clock). */
export declare const SeenKind: RecordKind<number>;
export declare const SentKind: RecordKind<SentRecord>;
/** sentenv/ID: the message id an extra device's envelope belongs to. */
export declare const SentEnvelopeKind: RecordKind<MessageId>;
export declare const ReceivedRawKind: RecordKind<ReceivedRaw>;
export declare const PendingReceiptKind: RecordKind<PendingReceipt>;
export declare const ResetNoticeKind: RecordKind<ResetNoticeRecord>;
/** Settings are merged over the defaults (sealed.ts): a profile from before a setting existed lacks it. */
export declare const SettingsKind: RecordKind<Partial<ClientSettings>>;
/** The kind of record stored under `key`, or undefined for a key this client never writes. */
export declare function recordKindOf(key: string): RecordKind<unknown> | undefined;
