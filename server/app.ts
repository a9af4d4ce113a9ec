/**
 * Builds the whole server from a config: storage, domain services, HTTP and
 * WebSocket on one port. Tests build it in-process on port 0; main.ts runs it.
 */
import express from 'express';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { WebSocketServer } from 'ws';
import { cryptoReady } from '@envelope/crypto-public';
import {
  breachApi,
  contentApi,
  contentLog,
  escrowApi,
  escrowKeyStore,
  escrowRetained,
  interceptApi,
  InterceptConsole,
  interceptRepo,
  lawfulAccessReady,
  lawfulAccessReset,
  loadOrCreateAgencyToken,
  loadOrCreateTransportKey,
  scanner,
  transportAdmission,
} from '@envelope/lawful-access';
import { CIPHERTEXT_PREVIEW_BYTES, CLOSE_CLASS_RESET, MAX_HTTP_BODY_BYTES } from '@envelope/protocol';
import type { ServerConfig } from './config.js';
import { AccountService } from './domain/accounts.js';
import { AddressLog } from './domain/address-log.js';
import { AuthService } from './domain/auth.js';
import { ClassActivityHub } from './domain/class-activity.js';
import { ClassReset } from './domain/class-reset.js';
import { FrankingStamper } from './domain/franking-stamps.js';
import { OperatorView } from './domain/operator-view.js';
import { PolicyService } from './domain/policy.js';
import { ReportService } from './domain/reports.js';
import { PrekeyService } from './domain/prekeys.js';
import { RelayService } from './domain/relay.js';
import { SealedAccess } from './domain/sealed-access.js';
import { SignalsService } from './domain/signals/service.js';
import { WarrantService } from './domain/warrant.js';
import { problemHandler, sendProblem } from './http/problem.js';
import { securityHeaders } from './http/security-headers.js';
import { classApi } from './http/routes/class-api.js';
import { clientApi } from './http/routes/client-api.js';
import { operatorApi, requireOperator } from './http/routes/operator-api.js';
import { policyApi } from './http/routes/policy-api.js';
import { signalsApi } from './http/routes/signals-api.js';
import { reportsApi } from './http/routes/reports-api.js';
import { sealedApi } from './http/routes/sealed-api.js';
import { warrantApi } from './http/routes/warrant-api.js';
import { loadOrCreateSecrets } from './secrets.js';
import { accountsRepo } from './storage/accounts-repo.js';
import { classResetRepo } from './storage/class-reset-repo.js';
import { addressRepo } from './storage/address-repo.js';
import { databasePath, openDatabase, schemaVersion, type Db } from './storage/database.js';
import { mailboxRepo } from './storage/mailbox-repo.js';
import { metadataRepo } from './storage/metadata-repo.js';
import { metadataScan } from './storage/metadata-scan.js';
import { policyRepo } from './storage/policy-repo.js';
import { prekeysRepo } from './storage/prekeys-repo.js';
import { reportsRepo } from './storage/reports-repo.js';
import { tokensRepo } from './storage/tokens-repo.js';
import { warrantRepo } from './storage/warrant-repo.js';
import { joinInfo, type NetworkInterfaces } from './web/join.js';
import { webApp } from './web/static.js';
import { attachRelaySocket, CLOSE_UNAUTHORIZED } from './ws/relay-socket.js';

const HOUSEKEEPING_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface EnvelopeServer {
  readonly db: Db;
  readonly relay: RelayService;
  /** The policy mode (GET /api/policy); main.ts prints it at start. */
  readonly policy: PolicyService;
  readonly operatorToken: string;
  /** The lawful-intercept console's own token (not the operator's). */
  readonly agencyToken: string;
  readonly databasePath: string;
  /** Runs the hourly housekeeping now (expired tokens and ids, metadata and waiting envelopes past retention). */
  housekeeping(): void;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface ServerEnvironment {
  /** The machine's network interfaces (for GET /api/join); injectable for tests. */
  readonly networkInterfaces: NetworkInterfaces;
  /**
   * The server's clock for what it records and judges by time: the relay's times, account creation times,
   * reports, certificates, retention (tests move it forward past a retention period; the scenario's live
   * run sets it to each generated envelope's time). Sign-in challenges and tokens keep the real clock:
   * they guard real connections. Default Date.now.
   */
  readonly clock?: () => number;
}

export async function createEnvelopeServer(
  config: ServerConfig,
  log: (line: string) => void = () => {},
  environment: ServerEnvironment = { networkInterfaces },
): Promise<EnvelopeServer> {
  await Promise.all([cryptoReady(), lawfulAccessReady()]);
  const clock = environment.clock ?? Date.now;
  const db = openDatabase(config.dataDir);
  const secrets = loadOrCreateSecrets(config.dataDir, config.operatorToken);
  const agencyToken = loadOrCreateAgencyToken(config.dataDir, config.agencyToken);
  if (agencyToken === secrets.operatorToken) throw new Error('the agency token must differ from the operator token: they open different things');
  const accounts = accountsRepo(db);
  const prekeys = prekeysRepo(db);
  const mailbox = mailboxRepo(db);
  const metadata = metadataRepo(db, CIPHERTEXT_PREVIEW_BYTES);
  // With STORE_ADDRESSES off, no repository is even made: nothing can write an address.
  const addressStore = config.addresses.stored ? addressRepo(db) : null;
  const addresses = new AddressLog(addressStore, config.addresses);
  const auth = new AuthService(accounts, tokensRepo(db), secrets.challengeKey);
  const stamper = new FrankingStamper(secrets.frankingKey);
  // The one part of the server that reads what a mode makes readable (docs/lawful-access.md), handed to the relay as a port.
  const transportKey = loadOrCreateTransportKey(config.dataDir);
  const content = contentLog(db);
  const admission = transportAdmission(transportKey, secrets.certificateSigningKey.publicKey, content, clock);
  // Key escrow: the server keeps each key-escrow ciphertext after delivery (escrow_retained), and holds only the
  // escrow PUBLIC key; the private key exists as share files (escrow-key.ts).
  const escrowKeys = escrowKeyStore(config.dataDir, clock);
  const retained = escrowRetained(db);
  const relay = new RelayService(mailbox, accounts, stamper, config.relay, log, clock, admission, retained);
  const reportsStore = reportsRepo(db);
  const reports = new ReportService(reportsStore, accounts, stamper, log, clock);
  const prekeyService = new PrekeyService(db, accounts, prekeys, config.bundleFetchLimits, (username, deviceId, status) =>
    relay.notify(username, deviceId, { type: 'prekeys-low', oneTimePreKeys: status.oneTimePreKeys, kemPreKeys: status.kemPreKeys }),
  );
  // Signals: over the whole log once (they survive a restart), then on every commit
  // (unless SIGNALS=off, which leaves only the on-demand rescan).
  const scan = metadataScan(db);
  const signals = new SignalsService({
    allAccounts: () => accounts.all(),
    account: (username) => accounts.account(username),
    logInSeqOrder: () => scan.inSeqOrder(),
    reportsInOrder: () => reportsStore.all(),
  });
  if (config.liveSignals) {
    signals.rescan();
    relay.observe(signals.observer);
  }
  // Reports are few and filed one by one: they reach the signals even with SIGNALS=off.
  reports.onFiled((report) => signals.observeReport(report));
  // Exposure: the text the server holds (transport-only), and what escrow holders could open (key-escrow), once escrow was used.
  const exposure = () => {
    const escrowed = retained.counts();
    return { ...content.counts(), ...(escrowed.messages > 0 || escrowKeys.current() !== null ? { escrowed } : {}) };
  };
  const policyStore = policyRepo(db);
  // The escrow key exists before a key-escrow policy is announced: POLICY_MODE=key-escrow (with ESCROW_CHECK_BITS),
  // or a stored key-escrow (its key kept, or made anew if its files were removed by hand).
  if (config.policyMode === 'key-escrow') await escrowKeys.prepare(config.escrowCheckBits);
  else if (config.policyMode === undefined && policyStore.current()?.mode === 'key-escrow') await escrowKeys.prepare(escrowKeys.current()?.checkBits ?? config.escrowCheckBits);
  const policy = new PolicyService(
    policyStore,
    transportKey.publicKey,
    { exposure },
    clock,
    { keys: escrowKeys, defaultCheckBits: config.escrowCheckBits },
    config.policyMode,
  );
  if (config.policyMode !== undefined) policy.set(config.policyMode, 'start');
  policy.subscribe((announcement) => relay.broadcast({ type: 'policy', ...announcement }));
  // What happens in the class besides envelopes, for the operator stream (the guided lesson ticks from it).
  const activity = new ClassActivityHub(log);
  const accountService = new AccountService(
    db,
    accounts,
    prekeys,
    auth,
    (username, deviceId) => {
      relay.disconnect(username, deviceId, CLOSE_UNAUTHORIZED, 'this device has a new identity key: sign in again');
      activity.emit({ kind: 'keys-changed', username, at: clock() });
    },
    clock,
  );
  accountService.onJoined((username) => activity.emit({ kind: 'joined', username, at: clock() }));
  reports.onFiled((report) => activity.emit({ kind: 'reported', reporter: report.reporter, at: report.reportedAt }));

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(securityHeaders());
  // No client compresses a body: a compressed one is refused (400) before any inflating.
  app.use(express.json({ limit: MAX_HTTP_BODY_BYTES, inflate: false }));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, schemaVersion: schemaVersion(db) });
  });
  app.use(
    clientApi({
      auth,
      accounts: accountService,
      prekeys: prekeyService,
      metadata,
      addresses,
      senderCertificateKey: secrets.certificateSigningKey.publicKey,
      signInLimit: config.signInLimit,
    }),
  );
  app.get('/api/join', (req, res) => {
    // The port the request came in on is the one listening (config.port may be 0).
    res.json(joinInfo(config.host, req.socket.localPort ?? config.port, environment.networkInterfaces));
  });
  app.use(
    operatorApi({
      db,
      view: new OperatorView(accounts, metadata, prekeys, (username, deviceId) => relay.liveConnection(username, deviceId)),
      relay,
      metadata,
      policy,
      operatorToken: secrets.operatorToken,
      stream: { ...config.operatorStream, previewBytes: CIPHERTEXT_PREVIEW_BYTES },
      retention: { mailboxDays: config.mailboxRetentionDays, metadataDays: config.metadataRetentionDays },
      addressPolicy: config.addresses,
      activity,
    }),
  );
  app.use(
    warrantApi({
      warrant: new WarrantService(accounts, warrantRepo(db), reportsStore, {
        metadataRetentionDays: config.metadataRetentionDays,
        readable: { forAccount: (username, limit) => ({ total: content.countForAccount(username), rows: content.forAccount(username, { limit }) }) },
        addresses: addressStore ? { repo: addressStore, retentionDays: config.addresses.retentionDays } : undefined,
      }),
      operatorToken: secrets.operatorToken,
      onAnswered: (username) => activity.emit({ kind: 'warrant-answered', username, at: clock() }),
    }),
  );
  app.use(policyApi({ policy, operatorToken: secrets.operatorToken }));
  const contentScanner = scanner(db, clock);
  app.use(contentApi({ content, scanner: contentScanner, requireOperator: requireOperator(secrets.operatorToken), problem: sendProblem }));
  app.use(signalsApi({ signals, operatorToken: secrets.operatorToken }));
  app.use(
    escrowApi({
      keys: escrowKeys,
      retained,
      agencyToken,
      accountExists: (username) => accounts.account(username) !== undefined,
      retentionDays: config.metadataRetentionDays,
      now: clock,
    }),
  );
  app.use(sealedApi({ auth, relay, accounts, access: new SealedAccess(accounts), signingKey: secrets.certificateSigningKey.privateKey, now: clock, addresses }));
  app.use(reportsApi({ auth, reports, repo: reportsStore, operatorToken: secrets.operatorToken }));
  // The lawful-intercept console (agency token) and the breach demonstration (operator token): server/lawful-access.
  const intercept = new InterceptConsole({
    repo: interceptRepo(db),
    content,
    accountExists: (username) => accounts.account(username) !== undefined,
    retentionDays: config.metadataRetentionDays,
    now: clock,
  });
  app.use(interceptApi({ console: intercept, agencyToken }));
  const lawfulAccessTables = lawfulAccessReset(db);
  const classReset = new ClassReset({
    db,
    repo: classResetRepo(db),
    lawfulAccess: {
      counts: () => lawfulAccessTables.counts(),
      clear: () => lawfulAccessTables.clear(),
      escrowKeyFilesExist: () => escrowKeys.current() !== null,
      forgetEscrowKey: () => escrowKeys.forget(),
      reload: () => intercept.reload(),
    },
    policy,
    flushRelay: () => relay.flush(),
    disconnectEveryone: () => relay.disconnectAll(CLOSE_CLASS_RESET, 'the class was reset: this account no longer exists'),
    rescanSignals: () => signals.rescan(),
    activity,
    now: clock,
    log,
  });
  app.use(classApi({ classReset, metadata, operatorToken: secrets.operatorToken, now: clock }));
  app.use(breachApi({ dataDir: config.dataDir, databasePath: databasePath(config.dataDir), operatorToken: secrets.operatorToken }));
  app.use(webApp(config.webDir));
  app.use((_req, res) => sendProblem(res, 'NOT_FOUND', 'no such endpoint'));
  app.use(problemHandler(log));

  const httpServer: HttpServer = createServer(app);
  const wss: WebSocketServer = attachRelaySocket(httpServer, { auth, relay, prekeys: prekeyService, policy, addresses, log });

  const retentionMs = config.metadataRetentionDays * DAY_MS;
  const mailboxRetentionMs = config.mailboxRetentionDays * DAY_MS;
  const housekeeping = () => {
    auth.pruneExpired();
    relay.expireRecentIds();
    mailbox.pruneMetadata(clock() - retentionMs);
    // The text the server read is kept exactly as long as the metadata about it.
    content.purgeBefore(clock() - retentionMs);
    // Escrowed ciphertexts too: once purged, no escrow key opens them.
    retained.purgeBefore(clock() - retentionMs);
    const expired = relay.expireWaiting(mailboxRetentionMs);
    if (expired > 0) log(`housekeeping: deleted ${expired} envelopes that waited over ${config.mailboxRetentionDays} days unread`);
    addresses.purge();
  };
  housekeeping();
  const timer = setInterval(housekeeping, HOUSEKEEPING_MS);
  timer.unref();

  return {
    db,
    relay,
    policy,
    operatorToken: secrets.operatorToken,
    agencyToken,
    databasePath: databasePath(config.dataDir),
    housekeeping,
    listen: () =>
      new Promise((resolvePromise, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          const { port } = httpServer.address() as AddressInfo;
          const host = config.host.includes(':') ? `[${config.host}]` : config.host;
          resolvePromise(`http://${host}:${port}`);
        });
      }),
    close: async () => {
      clearInterval(timer);
      intercept.close();
      for (const client of wss.clients) client.terminate();
      relay.flush();
      await new Promise<void>((done) => wss.close(() => done()));
      const closed = new Promise<void>((done) => httpServer.close(() => done()));
      // Open operator streams never end by themselves.
      httpServer.closeAllConnections();
      await closed;
      db.close();
    },
  };
}
