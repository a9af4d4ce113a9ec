/**
 * The policy mode over HTTP (shapes: shared/protocol/policy.ts).
 *
 *   GET  /api/policy             public: the announcement every client obeys
 *   POST /api/operator/policy    operator token: { mode } → the new announcement
 *
 * GET is public on purpose: a client must learn the mode before it signs in
 * and before it writes anything, and a user is owed the truth about who can
 * read them. An unknown mode is a 400 (BAD_REQUEST) naming the modes there are.
 */
import { Router } from 'express';
import { PolicyChangeRequestSchema } from '@envelope/protocol';
import type { PolicyService } from '../../domain/policy.js';
import { parseBody } from '../problem.js';
import { requireOperator } from './operator-api.js';

export interface PolicyApiDeps {
  policy: PolicyService;
  operatorToken: string;
}

export function policyApi(deps: PolicyApiDeps): Router {
  const router = Router();
  router.get('/api/policy', (_req, res) => {
    // It changes when the operator says so: never from a cache.
    res.set('cache-control', 'no-store').json(deps.policy.announcement());
  });
  router.post('/api/operator/policy', requireOperator(deps.operatorToken), async (req, res) => {
    const { mode, checkBits } = parseBody(PolicyChangeRequestSchema, req.body);
    // key-escrow: the escrow key is made and split on the first switch (server/lawful-access/escrow-key.ts).
    res.set('cache-control', 'no-store').json(await deps.policy.change(mode, 'operator', checkBits === undefined ? {} : { checkBits }));
  });
  return router;
}
