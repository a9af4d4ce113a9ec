/**
 * GET /api/operator/warrant/:username: the warrant answer for one account
 * (shared/protocol/warrant.ts), behind the operator token like the rest of the
 * operator view. The route only checks the token and the name; the answer is
 * gathered in domain/warrant.ts from storage/warrant-repo.ts.
 */
import { Router } from 'express';
import { UsernameSchema } from '@envelope/protocol';
import type { WarrantService } from '../../domain/warrant.js';
import { ServerError } from '../../errors.js';
import { requireOperator } from './operator-api.js';

export interface WarrantApiDeps {
  warrant: WarrantService;
  operatorToken: string;
  /** Told after each answer is produced (the guided lesson's "a warrant answer was produced"). */
  onAnswered?: (username: string) => void;
}

export function warrantApi(deps: WarrantApiDeps): Router {
  const router = Router();
  // Checked here too, so the answer stays protected whatever order the routers are mounted in.
  router.use('/api/operator/warrant', requireOperator(deps.operatorToken));
  router.get('/api/operator/warrant/:username', (req, res) => {
    const username = UsernameSchema.safeParse(req.params.username);
    if (!username.success) throw new ServerError('NOT_FOUND', 'no account by that name');
    // An answer about a person: not to be kept by any cache between the server and the investigator.
    res.set('cache-control', 'no-store');
    res.json(deps.warrant.answer(username.data));
    deps.onAnswered?.(username.data);
  });
  return router;
}
