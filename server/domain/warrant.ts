/**
 * The warrant answer (shared/protocol/warrant.ts): everything the server holds
 * about one account, gathered for an investigator, and a plain statement of
 * what it cannot provide. This is the live answer to the police complaint that
 * "companies are less able to act on warrants" (the reporting is listed in
 * client/web/src/ui/sources.ts): the server hands over all it has, and in
 * e2ee all it has is the outside of envelopes and ciphertext it has no key
 * for. Messages sent in transport-only are the exception: their text comes
 * from the content log through the ReadableMessages port (wired in by app.ts). (This module, like all of
 * server/ but lawful-access, never imports what decrypts.)
 */
import type { z } from 'zod';
import {
  MAX_WARRANT_READABLE_MESSAGES,
  MAX_WARRANT_ADDRESS_EVENTS,
  MAX_WARRANT_CONTACTS,
  MAX_WARRANT_REPORTS,
  MAX_WARRANT_STORED_ENVELOPES,
  MAX_WARRANT_TIMELINE,
  type AddressEventSchema,
  type NotProvidedSchema,
  type WarrantAnswerSchema,
  type WarrantReadableMessageSchema,
  type WarrantStoredEnvelopeSchema,
  type WarrantTimelineEventSchema,
} from '@envelope/protocol';
import { MAX_DEVICES_PER_ACCOUNT } from '@envelope/protocol';
import { ServerError } from '../errors.js';
import type { ReadContent } from './transport-admission.js';
import type { AccountsRepo } from '../storage/accounts-repo.js';
import { deviceOnTheWire } from './device-wire.js';
import type { ReportsRepo } from '../storage/reports-repo.js';
import { receiptOnTheWire } from './operator-view.js';
import { queuedReport } from './reports.js';
import type { LogRecord, MailboxRecord, WarrantRepo } from '../storage/warrant-repo.js';
import type { AddressRecord, AddressRepo } from '../storage/address-repo.js';

// What goes on the wire: the schemas' inputs (plain strings and numbers).
type WarrantAnswer = z.input<typeof WarrantAnswerSchema>;
type TimelineEvent = z.input<typeof WarrantTimelineEventSchema>;
type StoredEnvelope = z.input<typeof WarrantStoredEnvelopeSchema>;
type NotProvided = z.input<typeof NotProvidedSchema>;
type AddressEvent = z.input<typeof AddressEventSchema>;
type AgeBand = WarrantAnswer['record']['ageBand'];
type ReadableMessage = z.input<typeof WarrantReadableMessageSchema>;

/** One message the server read (a content-log row): the port lawful-access's content log answers, wired in by app.ts. */
export type ReadableMessageRecord = ReadContent & { readonly seq: number };

/** The messages the server can read that `username` sent or received, oldest first, and how many there are in all. */
export interface ReadableMessages {
  forAccount(username: string, limit: number): { total: number; rows: readonly ReadableMessageRecord[] };
}

export interface WarrantOptions {
  readonly metadataRetentionDays: number;
  /** The content log (transport-only's readable messages); absent, the answer lists none. */
  readonly readable?: ReadableMessages | undefined;
  /** The address log, when STORE_ADDRESSES is on (with its retention); absent when off. */
  readonly addresses?: { readonly repo: Pick<AddressRepo, 'ofAccount' | 'sealedFromAccountAddresses'>; readonly retentionDays: number } | undefined;
  readonly now?: () => number;
  /** How many of each list to carry (the protocol's bounds by default; tests lower them). */
  readonly limits?: Partial<WarrantLimits>;
}

export interface WarrantLimits {
  readonly contacts: number;
  readonly timeline: number;
  readonly storedEnvelopes: number;
}

const PROTOCOL_LIMITS: WarrantLimits = {
  contacts: MAX_WARRANT_CONTACTS,
  timeline: MAX_WARRANT_TIMELINE,
  storedEnvelopes: MAX_WARRANT_STORED_ENVELOPES,
};

/** A log row as one or two timeline events (a note to one's own other device is both sent and received). */
function timelineEvents(account: string, row: LogRecord): TimelineEvent[] {
  const base = {
    seq: row.seq,
    messageId: row.messageId,
    at: row.sentAt,
    size: row.size,
    kind: row.kind,
    receipt: receiptOnTheWire(row),
    mode: row.mode,
    deliveredAt: row.deliveredAt,
    ciphertextSha256: row.ciphertextSha256 ? row.ciphertextSha256.toString('base64url') : null,
  };
  const events: TimelineEvent[] = [];
  if (row.sender === account) {
    events.push({ ...base, direction: 'sent', device: row.senderDevice, peer: row.recipient, peerDevice: row.recipientDevice });
  }
  if (row.recipient === account) {
    events.push({ ...base, direction: 'received', device: row.recipientDevice, peer: row.sender, peerDevice: row.senderDevice });
  }
  return events;
}

function readableMessage(account: string, row: ReadableMessageRecord): ReadableMessage {
  const sent = row.sender === account;
  return {
    seq: row.seq,
    messageId: row.messageId,
    direction: sent ? 'sent' : 'received',
    peer: sent ? row.recipient : row.sender,
    senderSource: row.senderSource,
    at: row.storedAt,
    mode: row.mode,
    kind: row.kind,
    text: row.text,
  };
}

function storedEnvelope(entry: MailboxRecord): StoredEnvelope {
  return {
    seq: entry.seq,
    messageId: entry.messageId,
    sender: entry.sender,
    senderDevice: entry.senderDevice,
    recipient: entry.recipient,
    recipientDevice: entry.recipientDevice,
    storedAt: entry.storedAt,
    mode: entry.mode,
    size: entry.body.length,
    ciphertext: entry.body.toString('base64url'),
  };
}

/**
 * What the server could not provide, and why: the end of every answer. Written
 * for a reader who is not a cryptographer; each line is true of this server's
 * code (see DESIGN.md), not a general claim.
 */
export function notProvided(retentionDays: number, hiddenSenders: number, addressesStored = false, readableMessages = 0): NotProvided[] {
  const readable = readableMessages > 0;
  const some = `${readableMessages} message${readableMessages === 1 ? '' : 's'}`;
  const addresses: NotProvided[] = addressesStored
    ? []
    : [
        {
          what: 'Network addresses: not stored (setting off)',
          why:
            'The server sees the network (IP) address of every connection while it is open, as every server does, but this one is set not to keep them ' +
            '(STORE_ADDRESSES is off). It has no record of where the person connected from.',
        },
      ];
  return [
    {
      what: readable ? 'The content of messages sent end-to-end encrypted' : 'The content of any message',
      why:
        (readable
          ? `${some} above ${readableMessages === 1 ? 'was' : 'were'} sent while the server was set to read messages (transport-only): it read ${readableMessages === 1 ? 'it and hands over its' : 'them and hands over their'} text. `
          : '') +
        'Messages encrypted end to end are locked on the sender’s device with keys that only the recipient’s devices hold. ' +
        'The server never had those keys, so those envelopes are unreadable bytes to it, and to anyone it hands them to.',
    },
    {
      what: readable ? 'End-to-end encrypted messages already delivered' : 'Messages already delivered',
      why:
        'The server deletes an envelope’s encrypted contents as soon as the recipient’s device confirms it arrived. ' +
        'Only the outside of the envelope (who, when, how big) stays in the log.' +
        (readable ? ` The text of the ${some} the server read stays in its content log for as long as the log of envelopes.` : ''),
    },
    {
      what: `Activity older than ${retentionDays} days`,
      why: `The server keeps its log of envelopes for ${retentionDays} days (its retention setting) and then deletes it.`,
    },
    {
      what: 'Who sent envelopes that used sealed sender',
      why:
        'With sealed sender the sender’s name travels inside the encryption, so the server records only the recipient. ' +
        (hiddenSenders > 0
          ? `This account received ${hiddenSenders} such envelope${hiddenSenders === 1 ? '' : 's'}; their senders cannot be named, ` +
            'and envelopes this account sent that way cannot be attributed to it at all.'
          : 'Envelopes this account sent that way cannot be attributed to it at all.') +
        (readable ? ' A sealed message sent while the server read content is the exception: the server read the sender’s certificate inside it.' : ''),
    },
    {
      what: 'Messages nobody reported',
      why:
        (readable
          ? `Besides the ${some} the server read, the only message text it holds is in user reports: `
          : 'The only message text the server holds is in user reports: ') +
        'a recipient chose to show the server a message, and the server checked it against ' +
        'the sender’s commitment and its own stamp. Those reports are listed above. Every other message stays unreadable.',
    },
    {
      what: 'Which sealed envelopes were delivery receipts',
      why:
        'A phone sends a small encrypted receipt back when a message arrives. Unsealed receipts are marked as such and listed above as receipts; ' +
        'sealed ones carry no mark, so the server cannot tell them from messages.',
    },
    {
      what: 'The real length of messages',
      why: 'Messages are padded to fixed sizes before encryption, so the sizes above are rounded up and do not give the length of the text.',
    },
    {
      what: 'Private keys, contact lists, message history and settings on the person’s devices',
      why: 'These never leave the devices. The server holds only public keys, which anyone may fetch to start a conversation.',
    },
    {
      what: 'Who the person really is',
      why: 'The server asks for no name, phone number or e-mail address, and never checks the age band given at sign-up.',
    },
    ...addresses,
  ];
}

function addressEvent(record: AddressRecord): AddressEvent {
  return { seq: record.seq, at: record.at, address: record.address, event: record.event, deviceId: record.deviceId, messageId: record.messageId };
}

function networkAddresses(options: WarrantOptions, username: string): WarrantAnswer['networkAddresses'] {
  if (!options.addresses) return { stored: false };
  const { repo, retentionDays } = options.addresses;
  const own = repo.ofAccount(username, MAX_WARRANT_ADDRESS_EVENTS);
  const sealed = repo.sealedFromAccountAddresses(username, MAX_WARRANT_ADDRESS_EVENTS);
  return {
    stored: true,
    retentionDays,
    account: { total: own.total, events: own.records.map(addressEvent) },
    sealedFromSameAddresses: { total: sealed.total, events: sealed.records.map(addressEvent) },
  };
}

/**
 * A report is evidence against `username` only when the server's own stamp
 * named them as the sender. A sealed message's report names its sender on the
 * reporter's word alone: it goes in a list of its own, never among the verified.
 */
function reportsAbout(reports: Pick<ReportsRepo, 'about'>, username: string): Pick<WarrantAnswer, 'verifiedReports' | 'unverifiedClaims'> {
  const verified = reports.about(username, true, MAX_WARRANT_REPORTS);
  const claimed = reports.about(username, false, MAX_WARRANT_REPORTS);
  return {
    verifiedReports: { total: verified.total, reports: verified.reports.map((r) => ({ ...queuedReport(r), senderVerified: true as const })) },
    unverifiedClaims: { total: claimed.total, reports: claimed.reports.map((r) => ({ ...queuedReport(r), senderVerified: false as const })) },
  };
}

export class WarrantService {
  readonly #now: () => number;
  readonly #limits: WarrantLimits;

  constructor(
    private readonly accounts: AccountsRepo,
    private readonly warrant: WarrantRepo,
    private readonly reports: Pick<ReportsRepo, 'about'>,
    private readonly options: WarrantOptions,
  ) {
    this.#now = options.now ?? Date.now;
    // Never above the protocol's bounds: the answer must always pass its schema.
    const limit = (name: keyof WarrantLimits) => Math.min(options.limits?.[name] ?? PROTOCOL_LIMITS[name], PROTOCOL_LIMITS[name]);
    this.#limits = { contacts: limit('contacts'), timeline: limit('timeline'), storedEnvelopes: limit('storedEnvelopes') };
  }

  /** Everything held about `username`; NOT_FOUND if there is no such account. */
  answer(username: string): WarrantAnswer {
    const record = this.accounts.account(username);
    if (!record) throw new ServerError('NOT_FOUND', 'no account by that name');
    const now = this.#now();
    const devices = this.accounts
      .devices(username)
      .slice(0, MAX_DEVICES_PER_ACCOUNT)
      .map((device) => {
        const keys = this.warrant.deviceKeys(username, device.deviceId, now);
        return {
          ...deviceOnTheWire(device),
          signedPreKey: keys.signedPreKey
            ? { id: keys.signedPreKey.id, publicKey: Buffer.from(keys.signedPreKey.publicKey).toString('base64url'), uploadedAt: keys.signedPreKey.uploadedAt }
            : null,
          oneTimePreKeysLeft: keys.oneTimePreKeys,
          kemPreKeysLeft: keys.kemPreKeys,
          hasLastResortKemKey: keys.hasLastResortKemKey,
          activeSignIns: keys.activeSignIns,
        };
      });
    const limits = this.#limits;
    const log = this.warrant.log(username, limits.timeline);
    const hidden = this.warrant.receivedFromHiddenSenders(username);
    const waiting = this.warrant.waitingFor(username, limits.storedEnvelopes);
    const sent = this.warrant.sentStillWaiting(username, limits.storedEnvelopes);
    const readable = this.options.readable?.forAccount(username, MAX_WARRANT_READABLE_MESSAGES) ?? { total: 0, rows: [] };
    return {
      account: record.username,
      generatedAt: now,
      metadataRetentionDays: this.options.metadataRetentionDays,
      record: { createdAt: record.createdAt, ageBand: record.ageBand as AgeBand },
      devices,
      contacts: this.warrant.contacts(username, limits.contacts),
      receivedFromHiddenSenders: hidden,
      timeline: { total: log.total, events: log.rows.flatMap((row) => timelineEvents(username, row)).slice(0, limits.timeline) },
      waitingForAccount: { total: waiting.total, envelopes: waiting.envelopes.map(storedEnvelope) },
      sentStillWaiting: { total: sent.total, envelopes: sent.envelopes.map(storedEnvelope) },
      ...reportsAbout(this.reports, username),
      readableMessages: { total: readable.total, messages: readable.rows.map((row) => readableMessage(username, row)) },
      networkAddresses: networkAddresses(this.options, username),
      notProvided: notProvided(this.options.metadataRetentionDays, hidden, this.options.addresses !== undefined, readable.total),
    };
  }
}
