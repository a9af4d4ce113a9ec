/** Envelopes and timeline events as the operator API reports them, for the pure tests of this folder. */
import type { OperatorEnvelope, TimelineEvent } from './schemas.js';

export function envelope(seq: number, sender: string | null, recipient: string, extra: Partial<OperatorEnvelope> = {}): OperatorEnvelope {
  return {
    seq,
    messageId: `message-${String(seq).padStart(4, '0')}`,
    sender,
    senderDevice: sender === null ? null : 1,
    recipient,
    recipientDevice: 1,
    sentAt: 1_700_000_000_000 + seq * 1000,
    size: 512,
    kind: 'message',
    receipt: sender === null ? null : false,
    stillStored: true,
    ciphertextPreview: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY',
    ...extra,
  } as OperatorEnvelope;
}

export function event(seq: number, direction: 'sent' | 'received', peer: string | null, at: number, size = 512, receipt: boolean | null = peer === null ? null : false): TimelineEvent {
  return { seq, messageId: `message-${String(seq).padStart(4, '0')}`, direction, peer, peerDevice: peer === null ? null : 1, at, size, kind: 'message', receipt } as TimelineEvent;
}
