/**
 * GET /api/operator/breach: the breach demonstration (breach.ts), behind the
 * operator token: it shows what the server's own disk gives a thief, so it
 * belongs to whoever runs the server, not to the agency (whose token opens
 * nothing here).
 */
import { Router } from 'express';
import { breachExport, type BreachSource } from './breach.js';
import { requireToken } from './http.js';

export function breachApi(deps: BreachSource & { readonly operatorToken: string }): Router {
  const router = Router();
  router.get('/api/operator/breach', requireToken(deps.operatorToken, 'operator token'), (_req, res) => {
    res.set('cache-control', 'no-store').json(breachExport(deps));
  });
  return router;
}
