/**
 * The operator's view: what the server can say about its users from what it
 * stores, shaped as shared/protocol/operator.ts. Everything here comes from the
 * accounts table and the metadata log; there is no content to show, because
 * the server has none. (Reads only, off the relay's hot path.)
 */
import type { z } from 'zod';
import {
  MAX_DEVICES_PER_ACCOUNT,
  MAX_GRAPH_EDGES,
  MAX_OPERATOR_ACCOUNTS,
  type OperatorAccountSchema,
  type OperatorEnvelopeSchema,
  type OperatorGraphResponseSchema,
  type OperatorTimelineResponseSchema,
  type TimelineEventSchema,
} from '@envelope/protocol';
import { ServerError } from '../errors.js';
import type { AccountRecord, AccountsRepo, DeviceRecord } from '../storage/accounts-repo.js';
import type { LoggedEnvelope, MetadataRepo } from '../storage/metadata-repo.js';
import { prekeyCountKey, type PreKeyCounts, type PrekeysRepo } from '../storage/prekeys-repo.js';
import { deviceOnTheWire } from './device-wire.js';
import type { CommittedEnvelope } from './relay-types.js';

// What goes on the wire: the schemas' inputs (plain strings and numbers; the page parses them into branded types).
type OperatorEnvelope = z.input<typeof OperatorEnvelopeSchema>;
type OperatorAccount = z.input<typeof OperatorAccountSchema>;
type OperatorGraph = z.input<typeof OperatorGraphResponseSchema>;
type OperatorTimeline = z.input<typeof OperatorTimelineResponseSchema>;
type TimelineEvent = z.input<typeof TimelineEventSchema>;
type AgeBand = OperatorAccount['ageBand'];

/**
 * What the server can say about an envelope being a receipt: true when its
 * sender marked it one, false when it did not, null when it was sealed (a
 * sealed envelope carries no mark, so the server cannot tell).
 */
export function receiptOnTheWire(entry: { readonly sender: string | null; readonly receipt: boolean }): boolean | null {
  return entry.sender === null ? null : entry.receipt;
}

/** A log row as the operator API sends it. */
export function operatorEnvelope(entry: LoggedEnvelope): OperatorEnvelope {
  return {
    seq: entry.seq,
    messageId: entry.messageId,
    sender: entry.sender,
    senderDevice: entry.senderDevice,
    recipient: entry.recipient,
    recipientDevice: entry.recipientDevice,
    sentAt: entry.sentAt,
    size: entry.size,
    kind: entry.kind,
    receipt: receiptOnTheWire(entry),
    mode: entry.mode,
    stillStored: entry.stillStored,
    ciphertextPreview: entry.preview ? entry.preview.toString('base64url') : null,
  };
}

/** An envelope the relay just committed (still in the mailbox), as the stream sends it. */
export function committedEnvelope({ seq, envelope }: CommittedEnvelope, previewBytes: number): OperatorEnvelope {
  return operatorEnvelope({
    seq,
    messageId: envelope.messageId,
    sender: envelope.sender,
    senderDevice: envelope.senderDevice,
    recipient: envelope.recipient,
    recipientDevice: envelope.recipientDevice,
    sentAt: envelope.storedAt,
    size: envelope.size,
    kind: envelope.kind,
    receipt: envelope.receipt,
    mode: envelope.mode,
    stillStored: true,
    // base64url: every 3 bytes are 4 characters, so a whole number of bytes is a prefix of the text.
    preview: Buffer.from(envelope.body.slice(0, Math.ceil((previewBytes * 4) / 3)), 'base64url').subarray(0, previewBytes),
  });
}

const NO_PREKEYS: PreKeyCounts = { oneTimePreKeys: 0, kemPreKeys: 0 };

type PreKeysLeft = (username: string, deviceId: number) => PreKeyCounts;
/** A device's live connection, from the relay (in memory: never stored for this view). */
export type LiveConnection = (username: string, deviceId: number) => { address: string; since: number } | undefined;

function account(record: AccountRecord, devices: readonly DeviceRecord[], prekeysLeft: PreKeysLeft, live: LiveConnection): OperatorAccount {
  return {
    username: record.username,
    createdAt: record.createdAt,
    ageBand: record.ageBand as AgeBand,
    devices: devices.slice(0, MAX_DEVICES_PER_ACCOUNT).map((device) => {
      const left = prekeysLeft(device.username, device.deviceId);
      return {
        ...deviceOnTheWire(device),
        oneTimePreKeysLeft: left.oneTimePreKeys,
        kemPreKeysLeft: left.kemPreKeys,
        connectedFrom: live(device.username, device.deviceId) ?? null,
      };
    }),
  };
}

export class OperatorView {
  constructor(
    private readonly accounts: AccountsRepo,
    private readonly metadata: MetadataRepo,
    private readonly prekeys: Pick<PrekeysRepo, 'allCounts' | 'counts'>,
    private readonly live: LiveConnection,
  ) {}

  envelopes(limit: number, beforeSeq: number): OperatorEnvelope[] {
    return this.metadata.page(limit, beforeSeq).map(operatorEnvelope);
  }

  allAccounts(): OperatorAccount[] {
    const devices = this.accounts.allDevices();
    const prekeys = this.prekeys.allCounts();
    const left: PreKeysLeft = (username, deviceId) => prekeys.get(prekeyCountKey(username, deviceId)) ?? NO_PREKEYS;
    return this.accounts
      .all()
      .slice(0, MAX_OPERATOR_ACCOUNTS)
      .map((a) => account(a, devices.get(a.username) ?? [], left, this.live));
  }

  graph(): OperatorGraph {
    const counts = this.metadata.graph(MAX_GRAPH_EDGES);
    const nodes = this.accounts
      .all()
      .slice(0, MAX_OPERATOR_ACCOUNTS)
      .map((a) => ({
        username: a.username,
        createdAt: a.createdAt,
        ageBand: a.ageBand as AgeBand,
        sent: counts.sent.get(a.username) ?? 0,
        received: counts.received.get(a.username) ?? 0,
      }));
    const listed = new Set(nodes.map((n) => n.username));
    const edges = counts.edges
      .filter((e) => listed.has(e.from) && listed.has(e.to))
      .map((e) => ({ ...e }));
    return { nodes, edges, unattributed: counts.unattributed, receipts: counts.receipts };
  }

  /** One account's envelopes, newest first; NOT_FOUND if there is no such account. */
  timeline(username: string, limit: number): OperatorTimeline {
    const record = this.accounts.account(username);
    if (!record) throw new ServerError('NOT_FOUND', 'no account by that name');
    const events: TimelineEvent[] = [];
    for (const entry of this.metadata.involving(username, limit)) {
      const base = { seq: entry.seq, messageId: entry.messageId, at: entry.sentAt, size: entry.size, kind: entry.kind, receipt: receiptOnTheWire(entry) };
      // A note to one's own other device is both sent and received.
      if (entry.sender === username) events.push({ ...base, direction: 'sent', peer: entry.recipient, peerDevice: entry.recipientDevice });
      if (entry.recipient === username) {
        events.push({ ...base, direction: 'received', peer: entry.sender, peerDevice: entry.senderDevice });
      }
    }
    return { account: account(record, this.accounts.devices(username), (name, deviceId) => this.prekeys.counts(name, deviceId), this.live), events: events.slice(0, limit) };
  }
}
