/**
 * GET /api/operator/signals[?rescan=1]: the metadata signals, as the detectors
 * see them now (shape: shared/protocol/signals.ts). Operator token, as every
 * operator route. The response is parsed with its own schema before it leaves,
 * so a detector cannot send the page a field the contract does not name.
 */
import { Router } from 'express';
import { SignalsResponseSchema } from '@envelope/protocol';
import type { SignalsService } from '../../domain/signals/service.js';
import { requireOperator } from './operator-api.js';

export interface SignalsApiDeps {
  signals: SignalsService;
  operatorToken: string;
}

export function signalsApi(deps: SignalsApiDeps): Router {
  const router = Router();
  router.get('/api/operator/signals', requireOperator(deps.operatorToken), (req, res) => {
    // A rescan reads the whole log synchronously: the relay's next commit waits for it, so nothing is missed or seen twice.
    if (req.query.rescan === '1') deps.signals.rescan();
    res.json(SignalsResponseSchema.parse(deps.signals.snapshot()));
  });
  return router;
}
