/**
 * The one place HTTP errors are turned into responses: RFC 9457 problem JSON
 * with our stable `code`. Nothing about a request body is ever echoed or logged.
 */
import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '@envelope/protocol';
import { ServerError } from '../errors.js';

const TITLES: Record<ErrorCode, string> = {
  BAD_REQUEST: 'The request is not valid',
  INVALID_SIGNATURE: 'A signature does not verify',
  UNAUTHORIZED: 'Not signed in',
  SEALED_ACCESS_DENIED: 'Not allowed to send to this account without a name',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  UNKNOWN_RECIPIENT: 'No such recipient',
  USERNAME_TAKEN: 'That username is taken',
  PAYLOAD_TOO_LARGE: 'The request is too large',
  RATE_LIMITED: 'Too many requests',
  REPORT_REJECTED: 'The report does not check out',
  BAD_TRANSPORT_ENVELOPE: 'The envelope does not fit the mode it claims',
  UNKNOWN_POLICY_MODE: 'This server has no such policy mode',
  BAD_ACCESS_FIELD: 'The key-escrow access field is missing or malformed',
  SHARES_DO_NOT_FIT: 'These escrow shares do not rebuild the escrow key',
  ESCROW_NOT_SET_UP: 'There is no escrow key yet',
  INTERNAL: 'Something went wrong on the server',
};

export function sendProblem(res: Response, code: ErrorCode, detail?: string): void {
  res
    .status(ERROR_CODES[code])
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title: TITLES[code], status: ERROR_CODES[code], code, ...(detail ? { detail } : {}) }));
}

/** A short, safe description of what was wrong with a body: paths and rules, never values. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw new ServerError('BAD_REQUEST', describeIssues(result.error));
  return result.data;
}

export function problemHandler(log: (line: string) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof ServerError) return sendProblem(res, error.code, error.message);
    const type = (error as { type?: string } | null)?.type;
    if (type === 'entity.too.large') return sendProblem(res, 'PAYLOAD_TOO_LARGE', 'the body is larger than the server accepts');
    if (type === 'entity.parse.failed') return sendProblem(res, 'BAD_REQUEST', 'the body is not valid JSON');
    if (type === 'charset.unsupported') return sendProblem(res, 'BAD_REQUEST', 'unsupported charset: send UTF-8');
    if (type === 'encoding.unsupported') return sendProblem(res, 'BAD_REQUEST', 'unsupported Content-Encoding: send the body uncompressed');
    // Any other fault the body reader found in the request (it marks those with a 4xx status) is the client's, not ours.
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) return sendProblem(res, 'BAD_REQUEST', 'the request body could not be read');
    log(`http: unexpected error: ${(error as Error)?.message ?? String(error)}`);
    return sendProblem(res, 'INTERNAL');
  };
}
