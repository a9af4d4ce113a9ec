/**
 * The headless client core: what the CLI, the web app and the tests drive.
 * Import from here, not from the files. Runs in the browser and in Node.
 */
export { EnvelopeClient, type EnvelopeClientOptions, type PendingSend, type SendResult } from './client.js';
export { KEY_ESCROW_UNSEALED_NOTICE, unsealedNotice } from './client-types.js';
export type { ContactSummary } from './contacts.js';
export type { ConversationEntry } from './conversation-view.js';
export type { DeliveryState } from './history.js';
export { describeAccessField, type XRay, type XRayAccessField, type XRayEnvelope, type XRayTransport } from './xray.js';
export { INSIDE_PREFIX, MAX_INSIDE_TEXT_BYTES, openInside, sealInside, trialSearch, ROGUE_SLICE_MS, type RogueSearchProgress, type RogueSendOptions } from './rogue.js';
export { sendingModeOf, type SendingMode } from './policy.js';
export type { ClientEvents } from './client-events.js';
export type { AgeBand, RegisterOptions } from './account.js';
export type { BackoffOptions } from './backoff.js';
export { DEFAULT_BACKOFF, backoffDelay } from './backoff.js';
export type { ConnectionStatus } from './connection.js';
export { ClientError, isClientError, type ClientErrorCode } from './errors.js';
export type { InboxEntry, IncomingOutcome, TextInboxEntry, UndecryptableInboxEntry } from './incoming.js';
export { MAX_TEXT_LENGTH } from './message-codec.js';
export type { OutboxEntry, RogueAccessField } from './outgoing.js';
export type { SafetyNumber } from './safety.js';
export type { FetchLike } from './server-api.js';
export { checkEpoch, copyStorable, MemoryStore, OWNER_KEY, type ClientStore, type PutOptions } from './store.js';
export { parseRecord, readRecord, recordKind, type RecordKind } from './store-records.js';
export { recordKindOf } from './record-schemas.js';
export type { WebSocketFactory, WebSocketLike } from './websocket.js';
export { generateAccountKeys, type NewAccountKeys } from './own-prekeys.js';
/** The store's key layout: for tests and tools that inspect a profile. */
export { keys as storeKeys } from './store-keys.js';
