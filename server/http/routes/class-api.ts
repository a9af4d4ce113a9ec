/**
 * The class as a whole, behind the operator token (shapes: shared/protocol/class.ts).
 *
 *   GET  /api/operator/class              what a reset would delete now (the confirmation lists it)
 *   POST /api/operator/class/reset        { confirm: "reset the class" }: deletes it (domain/class-reset.ts)
 *   GET  /api/operator/envelopes/export   the whole metadata log as a JSON file, to keep before a reset
 *
 * A body without the exact confirmation is a 400 problem: a reset is never one
 * stray request away.
 */
import { Router } from 'express';
import { ClassResetRequestSchema, MAX_EXPORTED_ENVELOPES } from '@envelope/protocol';
import type { ClassReset } from '../../domain/class-reset.js';
import { operatorEnvelope } from '../../domain/operator-view.js';
import type { MetadataRepo } from '../../storage/metadata-repo.js';
import { parseBody } from '../problem.js';
import { requireOperator } from './operator-api.js';

export interface ClassApiDeps {
  readonly classReset: ClassReset;
  readonly metadata: MetadataRepo;
  readonly operatorToken: string;
  readonly now: () => number;
}

export function classApi(deps: ClassApiDeps): Router {
  const router = Router();
  const operator = requireOperator(deps.operatorToken);
  router.get('/api/operator/class', operator, (_req, res) => {
    res.set('cache-control', 'no-store').json(deps.classReset.counts());
  });
  router.post('/api/operator/class/reset', operator, async (req, res) => {
    parseBody(ClassResetRequestSchema, req.body);
    res.set('cache-control', 'no-store').json(await deps.classReset.reset());
  });
  router.get('/api/operator/envelopes/export', operator, (_req, res) => {
    const exportedAt = deps.now();
    const { envelopes, total } = deps.metadata.after(0, MAX_EXPORTED_ENVELOPES);
    const day = new Date(exportedAt).toISOString().slice(0, 10);
    res
      .set('cache-control', 'no-store')
      .attachment(`envelope-log-${day}.json`)
      .json({ exportedAt, total, envelopes: envelopes.map(operatorEnvelope) });
  });
  return router;
}
