/**
 * The part of the client core (shared/client) the classroom drives, as one
 * interface, and the one place that loads it. The view models code against
 * `ChatClient`, so their tests can run the real EnvelopeClient in Node and
 * the page can run it in the browser.
 *
 * The core is imported dynamically: libsodium (with its WebAssembly) is the
 * largest part of the app, and the first paint must not wait for it.
 */
import type { StoredEnvelope, DeviceId, MessageId, Username, FiledReport, ReportReason, PolicyAnnouncement } from '@envelope/protocol';
// Type-only: erased at build time, so naming the core's index here does not load it.
import type {
  ClientEvents,
  ClientStore,
  ConnectionStatus,
  ContactSummary,
  ConversationEntry,
  PendingSend,
  RogueSearchProgress,
  RogueSendOptions,
  SafetyNumber,
  XRay,
  XRayEnvelope,
} from '@envelope/client-core';

export type { ConnectionStatus, ConversationEntry, RogueSearchProgress, SafetyNumber, StoredEnvelope, XRay };
export type ConversationState = ConversationEntry['state'];
export type RatchetStep = XRayEnvelope['step'];
export type ChatContact = ContactSummary;
export type ChatEvents = ClientEvents;


export interface ChatClient {
  readonly account: { username: Username; deviceId: DeviceId } | null;
  readonly status: ConnectionStatus;
  /** The server's last announced policy mode; null before the first announcement. */
  readonly policy: PolicyAnnouncement | null;
  readonly events: { on<K extends keyof ChatEvents>(event: K, listener: (payload: ChatEvents[K]) => void): () => void };
  register(username: string): Promise<{ username: Username; deviceId: DeviceId }>;
  connect(): void;
  enqueue(to: string, text: string): Promise<PendingSend>;
  /** The rogue-app demonstration under key escrow (shared/client/rogue.ts): a forged access field found by trial. */
  sendAsRogue(
    to: string,
    text: string,
    options: RogueSendOptions,
  ): Promise<{ outcome: 'sent'; pending: PendingSend; progress: RogueSearchProgress } | { outcome: 'budget-spent' | 'cancelled'; progress: RogueSearchProgress }>;
  /** The other escape: a compliant send of a text encrypted inside; `sentText` is what the escrow will find. */
  sendEncryptedInside(to: string, text: string): Promise<PendingSend & { readonly sentText: string }>;
  contacts(): Promise<ChatContact[]>;
  conversation(contact: string): Promise<ConversationEntry[]>;
  safetyNumber(contact: string): Promise<SafetyNumber>;
  markVerified(contact: string): Promise<void>;
  trustNewKey(contact: string): Promise<unknown>;
  xray(id: MessageId): Promise<XRay | null>;
  storedEnvelope(envelopeId: MessageId): Promise<StoredEnvelope>;
  resetKeys(): Promise<void>;
  /** Shows the server one received message (verifiable user report). */
  report(id: MessageId, reason: ReportReason): Promise<FiledReport>;
  settings(): Promise<{ sealedSender: boolean }>;
  setSealedSender(on: boolean): Promise<{ sealedSender: boolean }>;
  close(): Promise<void>;
}

/** Opens a persona's client: its store, the page's own server, the browser's WebSocket and fetch. */
export type OpenClient = (store: ClientStore) => Promise<ChatClient>;

export const openBrowserClient: OpenClient = async (store) => {
  const { EnvelopeClient } = await import('@envelope/client-core');
  const client = await EnvelopeClient.open({
    serverUrl: window.location.origin,
    store,
    WebSocket: window.WebSocket,
    fetch: window.fetch.bind(window),
  });
  return client;
};

/** The machine-readable code of a client error, without importing the core (it may not be loaded yet). */
export function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
