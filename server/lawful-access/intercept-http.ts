/**
 * HTTP helpers for the console's routes. This package stands apart from the
 * rest of the server (it may not import server/http/problem.ts), so it writes
 * the same RFC 9457 problem documents itself, with the protocol's codes.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '@envelope/protocol';
import { InterceptError } from './intercept.js';
import { tokenMatches } from './intercept-token.js';

type ConsoleProblem = Extract<ErrorCode, 'BAD_REQUEST' | 'UNAUTHORIZED' | 'NOT_FOUND'>;

const TITLES: Record<ConsoleProblem, string> = {
  BAD_REQUEST: 'The request is not valid',
  UNAUTHORIZED: 'Not signed in',
  NOT_FOUND: 'Not found',
};

export function sendConsoleProblem(res: Response, code: ConsoleProblem, detail: string): void {
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

/** Turns the console's own errors into problems; anything else goes on to the server's handler. */
export function consoleErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (error instanceof InterceptError) return sendConsoleProblem(res, error.code, error.message);
  next(error);
}
