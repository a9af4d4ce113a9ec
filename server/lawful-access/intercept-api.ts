/**
 * The console's HTTP API (shared/protocol/agency.ts), behind the agency token:
 * the operator's token opens none of it. Routes check the token and the
 * input; intercept.ts does the work, intercept-repo.ts the SQL.
 */
import { Router, type Response } from 'express';
import {
  InsiderRequestSchema,
  UsernameSchema,
  WarrantRequestSchema,
  type AuditLogWire,
  type InsiderResultWire,
  type InterceptQueueWire,
  type InterceptWarrantWire,
  type InterceptedMessageWire,
  type RetrospectiveWire,
} from '@envelope/protocol';
import type { ContentRow } from './content-log.js';
import { InterceptError, type InterceptConsole } from './intercept.js';
import type { QueueRecord, WarrantRecord } from './intercept-repo.js';
import { consoleErrors, parseConsoleBody, requireToken } from './http.js';

export interface InterceptApiDeps {
  readonly console: InterceptConsole;
  readonly agencyToken: string;
}

const wireWarrant = (w: WarrantRecord): InterceptWarrantWire => ({ ...w });

export const wireMessage = (row: ContentRow): InterceptedMessageWire => ({
  seq: row.seq,
  messageId: row.messageId,
  sender: row.sender,
  recipient: row.recipient,
  storedAt: row.storedAt,
  kind: row.kind,
  text: row.text,
});

/** The queue keeps no kind column: a copied row without text is a control message (a receipt, a reset). */
const wireQueued = (row: QueueRecord) => ({ ...row, kind: row.text === null ? 'control' : 'text' });

/** A numeric path parameter, or a 404 (a warrant that cannot exist). */
function idParam(raw: string | undefined): number {
  if (raw === undefined || !/^[1-9]\d{0,14}$/.test(raw)) throw new InterceptError('NOT_FOUND', 'no warrant by that number');
  return Number(raw);
}

function username(raw: string | undefined): string {
  const parsed = UsernameSchema.safeParse(raw);
  if (!parsed.success) throw new InterceptError('NOT_FOUND', 'no account by that name');
  return parsed.data;
}

/** About people: no cache between the server and the agency may keep it. */
const private_ = (res: Response) => res.set('cache-control', 'no-store');

export function interceptApi(deps: InterceptApiDeps): Router {
  const router = Router();
  const agency = deps.console;
  router.use('/api/agency', requireToken(deps.agencyToken, 'agency token'));

  router.post('/api/agency/warrants', (req, res) => {
    const request = parseConsoleBody(WarrantRequestSchema, req.body);
    res.status(201).json(wireWarrant(agency.openWarrant(request.target, request.reference)));
  });

  router.get('/api/agency/warrants', (_req, res) => {
    const body: { warrants: InterceptWarrantWire[] } = { warrants: agency.warrants().map(wireWarrant) };
    private_(res).json(body);
  });

  router.delete('/api/agency/warrants/:id', (req, res) => {
    res.json(wireWarrant(agency.endWarrant(idParam(req.params.id))));
  });

  router.get('/api/agency/warrants/:id/queue', (req, res) => {
    const afterRaw = req.query.after;
    const after = typeof afterRaw === 'string' && /^\d{1,15}$/.test(afterRaw) ? Number(afterRaw) : 0;
    const answer = agency.queue(idParam(req.params.id), after);
    const body: InterceptQueueWire = { warrant: wireWarrant(answer.warrant), messages: answer.messages.map(wireQueued), total: answer.total };
    private_(res).json(body);
  });

  router.get('/api/agency/retrospective/:username', (req, res) => {
    const answer = agency.retrospective(username(req.params.username));
    const body: RetrospectiveWire = { ...answer, messages: answer.messages.map(wireMessage) };
    private_(res).json(body);
  });

  router.get('/api/agency/audit', (_req, res) => {
    const { lines, total } = agency.audit();
    // The actions in the table are the console's own (AUDIT_ACTIONS); the page's parse would catch any other.
    const body = { lines, total } as AuditLogWire;
    private_(res).json(body);
  });

  router.post('/api/agency/insider', (req, res) => {
    const request = parseConsoleBody(InsiderRequestSchema, req.body);
    const answer = agency.insider(request.target);
    const body: InsiderResultWire = { ...answer, warrant: wireWarrant(answer.warrant) };
    res.status(201).json(body);
  });

  router.use(consoleErrors);
  return router;
}
