/**
 * The server's one exception to "the relay cannot decrypt" (README, "Layout";
 * docs/lawful-access.md): the code that reads what a policy mode makes
 * readable to the server, and nothing else. It never reaches the Double
 * Ratchet, sessions, handshakes, sealed sender or the client (the build
 * refuses it), and only the server's composition root (server/app.ts) imports it.
 */
export { lawfulAccessReady } from './sodium.js';
export { loadOrCreateTransportKey, openTransportEnvelope, type TransportKeyPair } from './transport-key.js';
export { contentLog, DEFAULT_CONTENT_PAGE, MAX_CONTENT_PAGE, type ContentListener, type ContentLog, type ContentRow } from './content-log.js';
export { MAX_CONTENT_TEXT_LENGTH, readMessageText, type ContentKind, type MessageText } from './message-text.js';
export { interceptRepo } from './intercept-repo.js';
export { InterceptConsole, type InterceptDeps } from './intercept.js';
export { interceptApi } from './intercept-api.js';
export { loadOrCreateAgencyToken, AGENCY_TOKEN_FILE } from './intercept-token.js';
export { breachApi } from './breach-api.js';
export { transportAdmission, type TransportAdmissionPort, type TransportAdmissionResult, type TransportEnvelopeIn } from './transport-admission.js';
export { compileRule, scanner, ScannerRuleError, type Scanner } from './scanner.js';
export { contentApi, contentEntry, type ContentApiDeps } from './content-api.js';
export { escrowKeyStore, EscrowError, ESCROW_PUBLIC_FILE, ESCROW_SHARES_DIR, type EscrowKeyStore, type EscrowPublic } from './escrow-key.js';
export { escrowRetained, type EscrowRetained, type RetainedEnvelopeIn, type RetainedRow } from './escrow-retained.js';
export { openRetained } from './escrow-open.js';
export { lawfulAccessReset, type LawfulAccessCounts, type LawfulAccessReset } from './class-reset.js';
export { escrowApi, type EscrowApiDeps } from './escrow-api.js';
