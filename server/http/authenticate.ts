/** Express middleware: the request acts as the device its bearer token names, or gets 401. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthenticatedDevice, AuthService } from '../domain/auth.js';
import { sendProblem } from './problem.js';

export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

export function requireDevice(auth: AuthService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const device = auth.authenticate(bearerToken(req));
    if (!device) return sendProblem(res, 'UNAUTHORIZED', 'sign in first: a valid bearer token is required');
    res.locals.device = device;
    next();
  };
}

export function deviceOf(res: Response): AuthenticatedDevice {
  return res.locals.device as AuthenticatedDevice;
}
