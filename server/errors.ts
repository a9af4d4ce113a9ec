/**
 * One error class for the server. Every failure a client can see carries a
 * stable code from shared/protocol/errors.ts; the HTTP status follows from it.
 */
import { ERROR_CODES, type ErrorCode } from '@envelope/protocol';

export class ServerError extends Error {
  override readonly name = 'ServerError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}
