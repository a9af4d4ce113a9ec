/**
 * User reports (shapes: shared/protocol/reports.ts).
 *
 *   POST /api/reports           a signed-in recipient reports one message it received
 *   GET  /api/operator/reports  the operator's queue: reported messages, nothing else of any conversation
 *
 * Reports arrive one at a time by a person's choice; the limit per device only
 * keeps a script from making the server verify MACs in a tight loop.
 */
import { Router } from 'express';
import { MAX_REPORT_QUEUE, ReportQueueSchema, ReportRequestSchema, type FiledReport } from '@envelope/protocol';
import { RateLimiter } from '../../domain/rate-limit.js';
import { queuedReport, type ReportService } from '../../domain/reports.js';
import { ServerError } from '../../errors.js';
import type { ReportsRepo } from '../../storage/reports-repo.js';
import type { AuthService } from '../../domain/auth.js';
import { deviceOf, requireDevice } from '../authenticate.js';
import { parseBody } from '../problem.js';
import { requireOperator } from './operator-api.js';

export interface ReportsApiDeps {
  auth: AuthService;
  reports: ReportService;
  repo: ReportsRepo;
  operatorToken: string;
}

const REPORT_LIMIT = { perSecond: 2, burst: 20 };

export function reportsApi(deps: ReportsApiDeps): Router {
  const router = Router();
  const limiter = new RateLimiter(REPORT_LIMIT);

  router.post('/api/reports', requireDevice(deps.auth), (req, res) => {
    const device = deviceOf(res);
    if (!limiter.tryTake(`${device.username}\u0000${device.deviceId}`)) throw new ServerError('RATE_LIMITED', 'too many reports at once: wait a moment');
    const { record, duplicate } = deps.reports.file(device, parseBody(ReportRequestSchema, req.body));
    const body: FiledReport = {
      id: record.id,
      messageId: record.messageId as FiledReport['messageId'],
      sender: record.sender as FiledReport['sender'],
      senderVerified: record.senderVerified,
      reportedAt: record.reportedAt,
      duplicate,
    };
    res.status(duplicate ? 200 : 201).json(body);
  });

  router.get('/api/operator/reports', requireOperator(deps.operatorToken), (_req, res) => {
    const { total, reports } = deps.repo.newest(MAX_REPORT_QUEUE);
    res.set('cache-control', 'no-store').json(ReportQueueSchema.parse({ total, reports: reports.map(queuedReport) }));
  });

  return router;
}
