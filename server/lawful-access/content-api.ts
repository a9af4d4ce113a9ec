/**
 * The operator's view of content (shapes: shared/protocol/content.ts): the
 * messages the server read, with what the scanner flags in them, and the
 * scanner's rules. Mounted by server/app.ts, which hands in the operator-token
 * check and the server's problem responses (this package reaches no other
 * server file), so these routes answer exactly as the rest of the operator API.
 *
 *   GET    /api/operator/content?after=SEQ&limit=N
 *   GET    /api/operator/scanner/rules
 *   POST   /api/operator/scanner/rules
 *   DELETE /api/operator/scanner/rules/:id
 */
import { Router, type RequestHandler, type Response } from 'express';
import { MAX_CONTENT_ENTRIES, ScannerRuleInputSchema, type ContentEntryWire, type ErrorCode } from '@envelope/protocol';
import type { ContentLog, ContentRow } from './content-log.js';
import { ScannerRuleError, type Scanner } from './scanner.js';

export interface ContentApiDeps {
  content: ContentLog;
  scanner: Scanner;
  /** The operator-token check (401 without it), as the rest of the operator API uses. */
  requireOperator: RequestHandler;
  /** Answers an RFC 9457 problem with the server's code (server/http/problem.ts). */
  problem: (res: Response, code: ErrorCode, detail?: string) => void;
}

const DEFAULT_CONTENT_ENTRIES = 200;

function intParam(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : fallback;
  return Math.min(Math.max(n, min), max);
}

/** A content-log row as the operator API sends it, with the scanner's matches. */
export function contentEntry(row: ContentRow, scanner: Scanner): ContentEntryWire {
  return {
    seq: row.seq,
    messageId: row.messageId,
    sender: row.sender,
    senderSource: row.senderSource,
    recipient: row.recipient,
    storedAt: row.storedAt,
    mode: row.mode,
    kind: row.kind,
    text: row.text,
    matches: scanner.matches(row.text),
  };
}

export function contentApi(deps: ContentApiDeps): Router {
  const router = Router();
  router.use(['/api/operator/content', '/api/operator/scanner'], deps.requireOperator);

  router.get('/api/operator/content', (req, res) => {
    const afterSeq = intParam(req.query.after, 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(req.query.limit, DEFAULT_CONTENT_ENTRIES, 1, MAX_CONTENT_ENTRIES);
    const entries = deps.content.all({ afterSeq, limit }).map((row) => contentEntry(row, deps.scanner));
    res.set('cache-control', 'no-store').json({ entries, exposure: deps.content.counts() });
  });

  router.get('/api/operator/scanner/rules', (_req, res) => {
    res.json({ rules: deps.scanner.rules() });
  });

  router.post('/api/operator/scanner/rules', (req, res) => {
    const input = ScannerRuleInputSchema.safeParse(req.body);
    if (!input.success) {
      const issue = input.error.issues[0]!;
      return deps.problem(res, 'BAD_REQUEST', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    try {
      res.status(201).json(deps.scanner.add(input.data));
    } catch (error) {
      if (error instanceof ScannerRuleError) return deps.problem(res, 'BAD_REQUEST', error.message);
      throw error;
    }
  });

  router.delete('/api/operator/scanner/rules/:id', (req, res) => {
    const id = /^\d{1,15}$/.test(req.params.id) ? Number(req.params.id) : 0;
    if (id === 0 || !deps.scanner.remove(id)) return deps.problem(res, 'NOT_FOUND', 'no scanner rule by that id');
    res.status(204).end();
  });

  return router;
}
