/** The shapes EnvelopeClient takes and returns (client.ts re-exports them), and what its parts share. */
import type { DeviceId, MessageId, Username } from '@envelope/protocol';
import type { TokenSource } from './auth.js';
import type { BackoffOptions } from './backoff.js';
import type { DeviceContext } from './device.js';
import type { FetchLike } from './server-api.js';
import type { ClientStore } from './store.js';
import type { WebSocketFactory } from './websocket.js';

export interface EnvelopeClientOptions {
  /** http(s)://host:port of the server; defaults to the one the profile registered with. */
  readonly serverUrl?: string;
  readonly store: ClientStore;
  /** The `ws` package's WebSocket in Node, window.WebSocket in the browser. */
  readonly WebSocket: WebSocketFactory;
  readonly fetch?: FetchLike;
  readonly now?: () => number;
  readonly backoff?: BackoffOptions;
}

export interface SendResult {
  readonly id: MessageId;
  readonly to: Username;
  /** When the server committed the envelope (the latest, if the recipient has several devices). */
  readonly storedAt: number;
}

export interface PendingSend {
  readonly id: MessageId;
  readonly to: Username;
  /** Resolves when the server has stored every envelope; rejects if it refuses one for good, or on close(). */
  readonly stored: Promise<SendResult>;
  /** Sent with sealed sender: the server is not told who sent it. */
  readonly sealed: boolean;
  /**
   * Sealed sender is on, but this message carries our name: the recipient has
   * never written to us, so we do not hold their access key and the server would
   * refuse it sealed (profile-key.ts). Say so to the user.
   * 'key-escrow': the server's mode is key escrow, which sends signed in (the
   * escrow must find and open each message; outgoing.ts): KEY_ESCROW_UNSEALED_NOTICE.
   */
  readonly unsealedBecause?: 'recipient-never-wrote' | 'key-escrow';
}

/** Said when key escrow sent a message with the sender's name although sealed sender is on (the web app and the CLI). */
export const KEY_ESCROW_UNSEALED_NOTICE =
  'Key escrow turns sealed sender off in this demo: the escrow must find and open each message, so this one carries your name.';

/** What to tell a user whose message went with their name although sealed sender is on. */
export function unsealedNotice(to: string, because: PendingSend['unsealedBecause'] = 'recipient-never-wrote'): string {
  if (because === 'key-escrow') return KEY_ESCROW_UNSEALED_NOTICE;
  return `${to} has not written to you yet, so this message carries your name: the server only accepts a hidden-sender message from people ${to} has written to.`;
}

/** The account in use: replaced whole by register() and resetKeys(). */
export interface Registered {
  readonly device: DeviceContext;
  readonly tokens: TokenSource;
}

/** For account(): who this profile is on the server. */
export interface AccountName {
  username: Username;
  deviceId: DeviceId;
}
