/** Synthetic metadata for the detector tests and the bench: explicit times, no clock. Used only by tests. */
import { SEALED_ID, type AccountInfo, type AgeBand, type EventAccounts, type MetadataEvent } from './detector.js';

export class ScriptedLog {
  readonly events: MetadataEvent[] = [];
  readonly accounts = new Map<string, AccountInfo>();
  private seq = 0;

  account(username: string, createdAt = 0, ageBand: AgeBand | null = null): this {
    this.accounts.set(username, { createdAt, ageBand });
    return this;
  }

  /** One envelope from `sender` (null: sealed) to `recipient` at `at` ms. */
  send(sender: string | null, recipient: string, at: number): MetadataEvent {
    this.seq++;
    const event: MetadataEvent = {
      seq: this.seq,
      messageId: `msg-${String(this.seq).padStart(8, '0')}`,
      sender,
      senderDevice: sender === null ? null : 1,
      recipient,
      recipientDevice: 1,
      sentAt: at,
      size: 256,
      kind: 'message',
      receipt: false,
    };
    this.events.push(event);
    return event;
  }

  /** The accounts as the service passes them: a dense id per name (first seen, first numbered). */
  accountsOf(event: MetadataEvent): EventAccounts {
    return {
      senderId: event.sender === null ? SEALED_ID : this.idOf(event.sender),
      recipientId: this.idOf(event.recipient),
      sender: event.sender === null ? undefined : this.accounts.get(event.sender),
      recipient: this.accounts.get(event.recipient),
    };
  }

  private readonly ids = new Map<string, number>();
  private idOf(username: string): number {
    let id = this.ids.get(username);
    if (id === undefined) this.ids.set(username, (id = this.ids.size));
    return id;
  }
}
