/**
 * HTTP helpers for this package's routes (the intercept console, the escrow
 * agency, the breach). This package stands apart from the rest of the server
 * (it may not import server/http/problem.ts), so it writes the same RFC 9457
 * problem documents itself, with the protocol's codes.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '@envelope/protocol';
import { EscrowError } from './escrow-key.js';
import { InterceptError } from './intercept.js';
import { tokenMatches } from './intercept-token.js';

/** The problems this package's routes answer with. */
export type LawfulAccessProblem = Extract<ErrorCode, 'BAD_REQUEST' | 'UNAUTHORIZED' | 'NOT_FOUND' | 'SHARES_DO_NOT_FIT' | 'ESCROW_NOT_SET_UP'>;

const TITLES: Record<LawfulAccessProblem, string> = {
  BAD_REQUEST: 'The request is not valid',
  UNAUTHORIZED: 'Not signed in',
  NOT_FOUND: 'Not found',
  SHARES_DO_NOT_FIT: 'These escrow shares do not rebuild the escrow key',
  ESCROW_NOT_SET_UP: 'There is no escrow key yet',
};

export function sendConsoleProblem(res: Response, code: LawfulAccessProblem, detail: string): void {
  res
    .status(ERROR_CODES[code])
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title: TITLES[code], status: ERROR_CODES[code], code, detail }));
}

function bearerToken(req: Request): string | undefined {
  return req.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

/** 401 unless the request carries `token` as its bearer token. */
export function requireToken(token: string, whose: string): RequestHandler {
  return (req, res, next) => {
    if (!tokenMatches(bearerToken(req), token)) return sendConsoleProblem(res, 'UNAUTHORIZED', `this needs the ${whose} printed when the server started`);
    next();
  };
}

/** A body checked against `schema`, or an InterceptError BAD_REQUEST naming the paths and rules (never the values). */
export function parseConsoleBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const detail = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
  throw new InterceptError('BAD_REQUEST', detail);
}

/** Turns this package's own errors into problems; anything else goes on to the server's handler. */
export function consoleErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (error instanceof InterceptError || error instanceof EscrowError) return sendConsoleProblem(res, error.code, error.message);
  next(error);
}
