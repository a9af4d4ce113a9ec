/**
 * The agency's escrow routes (shared/protocol escrow.ts has the shapes), behind
 * the agency token, every access in the audit log (intercept_audit); problems
 * and bodies as the console's (http.ts):
 *
 *   GET  /api/agency/escrow                 → EscrowStatus
 *   GET  /api/agency/escrow/shares/:holder  → { holder, share }   (demo only: see below)
 *   POST /api/agency/escrow/open            EscrowOpenRequest → EscrowOpenResult
 *   POST /api/agency/escrow/leak            EscrowLeakRequest → EscrowLeakResult (an attack, labelled so)
 *
 * The shares route exists because, in this demo, all three share files sit on
 * the server's machine: it hands the page what a holder would bring. In reality
 * each holder keeps its own share elsewhere, and no route could fetch it.
 *
 * The rebuilt private key lives for one request: it is wiped once the
 * retained messages are opened, whatever happens.
 */
import { Router } from 'express';
import { wipe } from '@envelope/crypto-public';
import {
  EscrowHolderSchema,
  EscrowLeakRequestSchema,
  EscrowOpenRequestSchema,
  MAX_ESCROW_LEAK_SAMPLE,
  MAX_ESCROW_OPENED,
  type EscrowLeakResult,
  type EscrowOpenedMessage,
  type EscrowOpenResult,
  type EscrowShare,
  type EscrowStatus,
} from '@envelope/protocol';
import { consoleErrors, parseConsoleBody, requireToken, sendConsoleProblem } from './http.js';
import { EscrowError, type EscrowKeyStore } from './escrow-key.js';
import { openRetained, type EscrowKeyPair } from './escrow-open.js';
import type { EscrowRetained, RetainedRow } from './escrow-retained.js';

export interface EscrowApiDeps {
  readonly keys: EscrowKeyStore;
  readonly retained: EscrowRetained;
  readonly agencyToken: string;
  /** Whether an account exists (the server's accounts, handed in by app.ts): an unknown name is a 404. */
  readonly accountExists: (username: string) => boolean;
  readonly retentionDays: number;
  readonly now?: () => number;
}

export function escrowApi(deps: EscrowApiDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const agencyOnly = requireToken(deps.agencyToken, 'agency token');

  /** Rebuilds the key from `shares`, runs `use`, and wipes the key whatever happens. */
  async function withEscrowKey<T>(shares: readonly EscrowShare[], use: (keys: EscrowKeyPair) => T): Promise<T> {
    const privateKey = await deps.keys.combine(shares);
    try {
      return use({ publicKey: deps.keys.publicKey()!, privateKey });
    } finally {
      wipe(privateKey);
    }
  }

  router.get('/api/agency/escrow', agencyOnly, (_req, res) => {
    const current = deps.keys.current();
    const status: EscrowStatus = {
      setUp: current !== null,
      publicKey: current?.publicKey ?? null,
      checkBits: current?.checkBits ?? 16,
      threshold: 2,
      holders: deps.keys.shareFiles(),
      retained: deps.retained.count(),
      retentionDays: deps.retentionDays,
    };
    res.set('cache-control', 'no-store').json(status);
  });

  router.get('/api/agency/escrow/shares/:holder', agencyOnly, (req, res) => {
    const holder = EscrowHolderSchema.safeParse(req.params.holder);
    if (!holder.success) return sendConsoleProblem(res, 'NOT_FOUND', 'the holders are court, agency and provider');
    const share = deps.keys.readShare(holder.data);
    deps.retained.audit(now(), 'agency', 'escrow-share-read', null, `read the ${holder.data}'s share file (demo: all share files are on this machine)`);
    res.set('cache-control', 'no-store').json({ holder: holder.data, share });
  });

  router.post('/api/agency/escrow/open', agencyOnly, async (req, res) => {
    const request = parseConsoleBody(EscrowOpenRequestSchema, req.body);
    if (!deps.accountExists(request.username)) return sendConsoleProblem(res, 'NOT_FOUND', `no account named ${request.username}`);
    const holders = request.shares.map((s) => s.holder);
    let messages: EscrowOpenedMessage[];
    try {
      messages = await withEscrowKey(request.shares, (keys) => deps.retained.forAccount(request.username).map((row) => openRetained(keys, row)));
    } catch (error) {
      if (error instanceof EscrowError) deps.retained.audit(now(), 'agency', 'escrow-open-refused', request.username, `${request.reference}; shares of ${holders.join(', ') || 'nobody'}; ${error.code}`);
      throw error;
    }
    const opened = messages.filter((m) => m.outcome === 'opened').length;
    const auditSeq = deps.retained.audit(
      now(),
      'agency',
      'escrow-open',
      request.username,
      `${request.reference}; shares of ${holders.join(', ')}; opened ${opened} of ${messages.length} retained messages`,
    );
    const result: EscrowOpenResult = {
      username: request.username,
      reference: request.reference,
      holders,
      total: messages.length,
      opened,
      opensToNothing: messages.length - opened,
      messages: messages.slice(-MAX_ESCROW_OPENED),
      auditSeq,
    };
    res.set('cache-control', 'no-store').json(result);
  });

  router.post('/api/agency/escrow/leak', agencyOnly, async (req, res) => {
    const { shares } = parseConsoleBody(EscrowLeakRequestSchema, req.body);
    const holders = shares.map((s) => s.holder);
    const tally = await withEscrowKey(shares, (keys) => leakAll(keys, deps.retained.all()));
    const auditSeq = deps.retained.audit(
      now(),
      'attacker',
      'escrow-leak',
      null,
      `ATTACK (demonstration): the escrow key rebuilt from shares of ${holders.join(', ')} opened ${tally.messages} messages of ${tally.people} people`,
    );
    const result: EscrowLeakResult = { attack: true, holders, ...tally, auditSeq };
    res.set('cache-control', 'no-store').json(result);
  });

  router.use('/api/agency/escrow', consoleErrors);
  return router;
}

/** Every retained message opened with a leaked key: counts, and a short sample of what opened. */
function leakAll(keys: EscrowKeyPair, rows: Iterable<RetainedRow>): Omit<EscrowLeakResult, 'attack' | 'holders' | 'auditSeq'> {
  const people = new Set<string>();
  const sample: EscrowOpenedMessage[] = [];
  let messages = 0;
  let controlMessages = 0;
  let opensToNothing = 0;
  let oldestStoredAt: number | null = null;
  for (const row of rows) {
    const opened = openRetained(keys, row);
    if (opened.outcome !== 'opened') {
      opensToNothing++;
      continue;
    }
    // Texts are what a reader means by messages; receipts and resets hold no words and are counted apart.
    if (opened.kind !== 'text') {
      controlMessages++;
      continue;
    }
    messages++;
    if (row.sender !== null) people.add(row.sender);
    people.add(row.recipient);
    oldestStoredAt = oldestStoredAt === null ? row.storedAt : Math.min(oldestStoredAt, row.storedAt);
    if (sample.length < MAX_ESCROW_LEAK_SAMPLE) sample.push(opened);
  }
  return { messages, controlMessages, people: people.size, opensToNothing, oldestStoredAt, sample };
}
