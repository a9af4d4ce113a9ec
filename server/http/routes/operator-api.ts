/**
 * The operator's view of the server: what it holds, as the server itself sees
 * it. Token-protected (Authorization: Bearer OPERATOR_TOKEN). Nothing here can
 * show a plaintext: the server has none. Shapes: shared/protocol/operator.ts.
 */
import { Router, type RequestHandler } from 'express';
import { MAX_OPERATOR_ENVELOPES_PER_PAGE, MAX_TIMELINE_EVENTS, UsernameSchema } from '@envelope/protocol';
import type { AddressPolicy } from '../../domain/address-log.js';
import type { ClassActivityHub } from '../../domain/class-activity.js';
import { tokensMatch } from '../../domain/auth.js';
import type { OperatorView } from '../../domain/operator-view.js';
import type { PolicyService } from '../../domain/policy.js';
import type { RelayService } from '../../domain/relay.js';
import { ServerError } from '../../errors.js';
import type { Db } from '../../storage/database.js';
import type { MetadataRepo } from '../../storage/metadata-repo.js';
import { describeStoredSchema, type Retention } from '../../storage/schema-description.js';
import { bearerToken } from '../authenticate.js';
import { operatorStream, type StreamOptions } from '../operator-stream.js';
import { sendProblem } from '../problem.js';

export interface OperatorApiDeps {
  db: Db;
  view: OperatorView;
  relay: RelayService;
  metadata: MetadataRepo;
  /** The mode, announced on the stream (on connection and on each change). */
  policy: PolicyService;
  operatorToken: string;
  stream: StreamOptions;
  /** The retention settings, said on the page beside the tables they apply to. */
  retention: Retention;
  /** Whether addresses are stored, said beside the live ones. */
  addressPolicy: AddressPolicy;
  /** What happens in the class besides envelopes, on the stream. */
  activity?: ClassActivityHub;
}

const DEFAULT_ENVELOPES_PER_PAGE = 100;
const DEFAULT_TIMELINE_EVENTS = 200;

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
    const limit = intParam(req.query.limit, DEFAULT_ENVELOPES_PER_PAGE, MAX_OPERATOR_ENVELOPES_PER_PAGE);
    const before = intParam(req.query.before, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    res.json({ envelopes: deps.view.envelopes(limit, before) });
  });

  router.get('/api/operator/stream', operatorStream(deps.relay, deps.metadata, deps.policy, deps.stream, deps.activity));

  router.get('/api/operator/accounts', (_req, res) => {
    res.json({ accounts: deps.view.allAccounts(), addresses: deps.addressPolicy });
  });

  router.get('/api/operator/graph', (_req, res) => {
    res.json(deps.view.graph());
  });

  router.get('/api/operator/timeline/:username', (req, res) => {
    const username = UsernameSchema.safeParse(req.params.username);
    if (!username.success) throw new ServerError('NOT_FOUND', 'no account by that name');
    res.json(deps.view.timeline(username.data, intParam(req.query.limit, DEFAULT_TIMELINE_EVENTS, MAX_TIMELINE_EVENTS)));
  });

  router.get('/api/operator/schema', (_req, res) => {
    res.json({ tables: describeStoredSchema(deps.db, deps.retention) });
  });

  return router;
}
