/**
 * One error class for the crypto layer. Callers branch on `code`, never on the
 * message text; messages never contain key material or plaintext.
 */
export type CryptoErrorCode =
  | 'NOT_READY'
  | 'INVALID_ARGUMENT'
  | 'INVALID_KEY'
  | 'INVALID_SIGNATURE'
  | 'INVALID_MESSAGE'
  | 'UNSUPPORTED_VERSION'
  | 'DECRYPT_FAILED'
  | 'DUPLICATE_MESSAGE'
  | 'TOO_MANY_SKIPPED'
  | 'INVALID_PADDING'
  | 'INVALID_STATE'
  | 'UNKNOWN_PREKEY'
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_INVALID'
  | 'COMMITMENT_MISMATCH';

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isCryptoError(error: unknown, code?: CryptoErrorCode): error is CryptoError {
  return error instanceof CryptoError && (code === undefined || error.code === code);
}
