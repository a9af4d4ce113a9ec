/**
 * The schema of every kind of record a profile holds (the layout is in
 * store-keys.ts), checked on every load (store-records.ts). Strict (an unknown
 * field is damage, not something to carry along) and bounded (no string,
 * array or map longer than this client ever writes). Each is typed against the
 * record's documented interface, so the two cannot drift apart.
 *
 * Key material is Uint8Array, contacts' identity keys included (storedBytes,
 * in key-record-schemas.ts, also reads the base64url strings older profiles
 * hold). Contacts' profile keys, message bodies, paddings and commitments stay
 * base64url strings: they arrive as base64url in JSON frames or messages, are
 * shown so in the X-ray and leave so in frames, so that is their natural form.
 */
import { z } from 'zod';
import { PROFILE_KEY_BYTES, ED25519_PUBLIC_KEY_BYTES } from '@envelope/crypto-public';
import { DeviceIdSchema, AccessFieldSchema, EnvelopeModeSchema, MessageIdSchema, opaqueBytes, TimestampSchema, UsernameSchema, MAX_ENVELOPE_BODY_BYTES, type MessageId, REPORT_REASONS } from '@envelope/protocol';
import type { ContactRecord } from './contacts.js';
import type { SentRecord } from './history.js';
import type { HeldEntry, InboxEntry } from './incoming.js';
import { MAX_TEXT_LENGTH } from './message-codec.js';
import type { OutboxEntry } from './outgoing.js';
import type { OwnerRecord } from './ownership.js';
import type { PendingReceipt } from './receipts.js';
import type { ClientSettings } from './sealed.js';
import type { ResetNoticeRecord } from './session-reset.js';
import { SessionKind } from './session-store.js';
import { OWNER_KEY } from './store.js';
import { keys } from './store-keys.js';
import {
  AccessKeyRegisteredKind,
  KemPreKeyKind,
  OneTimePreKeyKind,
  PendingResetKind,
  ProfileKeyKind,
  SelfKind,
  SenderCertificateKind,
  ServerCertificateKeyKind,
  SignedPreKeyKind,
  storedBytes,
} from './key-record-schemas.js';
import { recordKind, type RecordKind } from './store-records.js';
import type { ReceivedRaw } from './xray.js';

export {
  AccessKeyRegisteredKind,
  KemPreKeyKind,
  OneTimePreKeyKind,
  PendingResetKind,
  ProfileKeyKind,
  SelfKind,
  SenderCertificateKind,
  ServerCertificateKeyKind,
  SignedPreKeyKind,
};

/** Every record this client writes is version 1 so far; a schema names the version it reads. */
const V1 = z.literal(1);
const counter = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Error codes and reasons ("DECRYPT_FAILED", "SEALED_SENDER_UNSUPPORTED"): short words, never free text. */
const reasonCode = z.string().min(1).max(64);
/** A base64url string of at most one envelope body's bytes (bodies, paddings, certificates, commitments). */
const base64Body = opaqueBytes(MAX_ENVELOPE_BODY_BYTES);
/** Our own Ed25519 public key as a reset notice remembers it, base64url (only ever compared with the current one). */
const base64PublicKey = opaqueBytes(ED25519_PUBLIC_KEY_BYTES);
/** Devices one message is encrypted for: far above what a contact has (one, or a "ghost" or two). */
const MAX_DEVICES_PER_CONTACT = 64;
const HOLDER_MAX_CHARS = 64;

export const OwnerKind = recordKind<OwnerRecord>(
  'owner record',
  z.object({ v: V1, epoch: counter, holder: z.string().max(HOLDER_MAX_CHARS), since: TimestampSchema }).strict(),
);

const devicesMap = <T extends z.ZodType>(value: T) =>
  z.record(z.string().regex(/^[1-9]\d{0,9}$/), value).refine((map) => Object.keys(map).length <= MAX_DEVICES_PER_CONTACT, 'too many devices');

export const ContactKind = recordKind<ContactRecord>(
  'contact',
  z
    .object({
      v: V1,
      username: UsernameSchema,
      devices: devicesMap(z.object({ identityKey: storedBytes(ED25519_PUBLIC_KEY_BYTES), since: TimestampSchema }).strict()),
      pending: devicesMap(z.object({ identityKey: storedBytes(ED25519_PUBLIC_KEY_BYTES), seenAt: TimestampSchema }).strict()),
      verified: z.boolean(),
      profileKey: opaqueBytes(PROFILE_KEY_BYTES).optional(),
    })
    .strict(),
);

export const OutboxKind = recordKind<OutboxEntry>(
  'outbox entry',
  z
    .object({
      v: V1,
      id: MessageIdSchema,
      messageId: MessageIdSchema,
      to: UsernameSchema,
      toDevice: DeviceIdSchema,
      body: base64Body,
      createdAt: TimestampSchema,
      order: counter,
      control: z.enum(['session-reset', 'receipt']).optional(),
      commitment: base64Body.optional(),
      sealed: z.literal(true).optional(),
      accessKey: base64Body.optional(),
      mode: EnvelopeModeSchema.optional(),
      access: AccessFieldSchema.optional(),
    })
    .strict(),
);

const inboxBase = {
  v: V1,
  id: MessageIdSchema,
  from: UsernameSchema.nullable(),
  fromDevice: DeviceIdSchema.nullable(),
  storedAt: TimestampSchema,
  receivedAt: TimestampSchema,
  order: counter,
  read: z.boolean(),
  /** Absent in every record from before policy modes, and for e2ee. */
  mode: EnvelopeModeSchema.optional(),
};

const reportedSchema = z.object({ reportId: counter, at: TimestampSchema, reason: z.enum(REPORT_REASONS) }).strict();

export const InboxKind = recordKind<InboxEntry>(
  'inbox entry',
  z.discriminatedUnion('kind', [
    z
      .object({
        ...inboxBase,
        kind: z.literal('text'),
        text: z.string().max(MAX_TEXT_LENGTH),
        sentAt: TimestampSchema,
        franking: z.object({ key: base64Body, commitment: base64Body, stamp: base64Body }).strict().optional(),
        sealedSender: z.literal(true).optional(),
        reported: reportedSchema.optional(),
      })
      .strict(),
    z.object({ ...inboxBase, kind: z.literal('undecryptable'), reason: reasonCode }).strict(),
  ]),
);

export const HeldKind = recordKind<HeldEntry>(
  'held message',
  z
    .object({
      v: V1,
      id: MessageIdSchema,
      from: UsernameSchema,
      fromDevice: DeviceIdSchema,
      storedAt: TimestampSchema,
      body: base64Body,
      commitment: base64Body.optional(),
      stamp: base64Body.optional(),
      receipt: z.literal(true).optional(),
      sealed: z.literal(true).optional(),
      mode: EnvelopeModeSchema.optional(),
      access: AccessFieldSchema.optional(),
      heldAt: TimestampSchema,
      order: counter,
    })
    .strict(),
);

/** seen/ID: when the envelope was handled (our clock). */
export const SeenKind = recordKind<number>('seen-envelope time', TimestampSchema);

const deliveryState = z.enum(['queued', 'stored', 'delivered', 'failed']);

export const SentKind = recordKind<SentRecord>(
  'sent message',
  z
    .object({
      v: V1,
      sealed: z.literal(true).optional(),
      certificate: base64Body.optional(),
      id: MessageIdSchema,
      to: UsernameSchema,
      text: z.string().max(MAX_TEXT_LENGTH),
      createdAt: TimestampSchema,
      order: counter,
      padded: base64Body,
      envelopes: z
        .array(
          z
            .object({
              id: MessageIdSchema,
              toDevice: DeviceIdSchema,
              body: base64Body,
              state: deliveryState,
              storedAt: TimestampSchema.nullable(),
              deliveredAt: TimestampSchema.nullable(),
              unreadable: z.literal(true).optional(),
              sessionMessage: base64Body.optional(),
              access: AccessFieldSchema.optional(),
            })
            .strict(),
        )
        .min(1)
        .max(MAX_DEVICES_PER_CONTACT),
      state: deliveryState,
      reason: reasonCode.optional(),
      mode: EnvelopeModeSchema.optional(),
    })
    .strict(),
);

/** sentenv/ID: the message id an extra device's envelope belongs to. */
export const SentEnvelopeKind = recordKind<MessageId>('sent envelope index', z.string().pipe(MessageIdSchema));

export const ReceivedRawKind = recordKind<ReceivedRaw>(
  'received envelope',
  z
    .object({
      v: V1,
      body: base64Body,
      padded: base64Body,
      sealed: z.object({ sessionMessage: base64Body, certificate: base64Body }).strict().optional(),
      mode: EnvelopeModeSchema.optional(),
      access: AccessFieldSchema.optional(),
    })
    .strict(),
);

export const PendingReceiptKind = recordKind<PendingReceipt>(
  'pending receipt',
  z.object({ v: V1, id: MessageIdSchema, from: UsernameSchema, fromDevice: DeviceIdSchema, sealed: z.literal(true).optional(), order: counter }).strict(),
);

export const ResetNoticeKind = recordKind<ResetNoticeRecord>(
  'session-reset notice',
  z.object({ v: V1, sentAt: TimestampSchema, identityKey: base64PublicKey }).strict(),
);

/** Settings are merged over the defaults (sealed.ts): a profile from before a setting existed lacks it. */
export const SettingsKind = recordKind<Partial<ClientSettings>>('settings', z.object({ sealedSender: z.boolean().optional() }).strict());

/** The kind of record each key prefix holds (store-keys.ts), for checking a whole profile. */
const KINDS_BY_PREFIX: readonly [prefix: string, kind: RecordKind<unknown>][] = [
  ['spk/', SignedPreKeyKind],
  ['otk/', OneTimePreKeyKind],
  ['kem/', KemPreKeyKind],
  ['contact/', ContactKind],
  ['session/', SessionKind],
  ['outbox/', OutboxKind],
  ['inbox/', InboxKind],
  ['held/', HeldKind],
  ['seen/', SeenKind],
  ['sent/', SentKind],
  ['sentenv/', SentEnvelopeKind],
  ['rx/', ReceivedRawKind],
  ['receipt/', PendingReceiptKind],
  ['resetnotice/', ResetNoticeKind],
];

const KINDS_BY_KEY: ReadonlyMap<string, RecordKind<unknown>> = new Map<string, RecordKind<unknown>>([
  [OWNER_KEY, OwnerKind],
  [keys.self, SelfKind],
  [keys.settings, SettingsKind],
  [keys.serverCertificateKey, ServerCertificateKeyKind],
  [keys.senderCertificate, SenderCertificateKind],
  [keys.profileKey, ProfileKeyKind],
  [keys.accessKeyRegistered, AccessKeyRegisteredKind],
  [keys.pendingReset, PendingResetKind],
]);

/** The kind of record stored under `key`, or undefined for a key this client never writes. */
export function recordKindOf(key: string): RecordKind<unknown> | undefined {
  return KINDS_BY_KEY.get(key) ?? KINDS_BY_PREFIX.find(([prefix]) => key.startsWith(prefix))?.[1];
}
