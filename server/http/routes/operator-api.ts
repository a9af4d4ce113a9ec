/**
 * The operator's view of the server: what it holds, as the server itself sees
 * it. Token-protected (Authorization: Bearer OPERATOR_TOKEN). Nothing here can
 * show a plaintext: the server has none.
 */
import { Router, type RequestHandler } from 'express';
import { tokensMatch } from '../../domain/auth.js';
import type { Db } from '../../storage/database.js';
import type { MailboxRepo } from '../../storage/mailbox-repo.js';
import { describeStoredSchema } from '../../storage/schema-description.js';
import { bearerToken } from '../authenticate.js';
import { sendProblem } from '../problem.js';

export interface OperatorApiDeps {
  db: Db;
  mailbox: MailboxRepo;
  operatorToken: string;
}

/** 24 bytes of ciphertext, as base64url. */
const PREVIEW_CHARS = 32;
const MAX_ENVELOPES_PER_PAGE = 500;

export function requireOperator(operatorToken: string): RequestHandler {
  return (req, res, next) => {
    const given = bearerToken(req);
    if (!given || !tokensMatch(given, operatorToken)) {
      return sendProblem(res, 'UNAUTHORIZED', 'the operator view needs the operator token printed when the server started');
    }
    next();
  };
}

function intParam(value: unknown, fallback: number, max: number): number {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : fallback;
  return Math.min(Math.max(n, 1), max);
}

export function operatorApi(deps: OperatorApiDeps): Router {
  const router = Router();
  router.use('/api/operator', requireOperator(deps.operatorToken));

  router.get('/api/operator/envelopes', (req, res) => {
    const limit = intParam(req.query.limit, 100, MAX_ENVELOPES_PER_PAGE);
    const before = intParam(req.query.before, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    const envelopes = deps.mailbox.recentMetadata(limit, before).map((entry) => {
      const body = deps.mailbox.body(entry.recipient, entry.recipientDevice, entry.messageId);
      return {
        ...entry,
        // The ciphertext is only held until the recipient confirms receipt.
        stillStored: body !== undefined,
        ciphertextPreview: body ? body.slice(0, PREVIEW_CHARS) : null,
      };
    });
    res.json({ envelopes });
  });

  router.get('/api/operator/schema', (_req, res) => {
    res.json({ tables: describeStoredSchema(deps.db) });
  });

  return router;
}
