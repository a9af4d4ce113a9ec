/**
 * The error codes a client can receive, over HTTP (problem JSON, RFC 9457) and
 * over the WebSocket (an `error` frame). Clients branch on `code`, never on text.
 */
export const ERROR_CODES = {
  BAD_REQUEST: 400,
  INVALID_SIGNATURE: 400,
  UNAUTHORIZED: 401,
  /** A sealed envelope without the recipient's unidentified access key (shared/crypto-public/access-key.ts): refused, nothing stored. */
  SEALED_ACCESS_DENIED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_RECIPIENT: 404,
  USERNAME_TAKEN: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** A user report whose stamp or commitment does not check out: the reason says which. */
  REPORT_REJECTED: 422,
  /**
   * An envelope that claims a policy mode and does not fit it: a transport-only
   * body that does not open with the server's transport key or is malformed
   * inside (policy.ts, transport.ts). Refused; nothing stored.
   */
  BAD_TRANSPORT_ENVELOPE: 422,
  /**
   * A key-escrow envelope without an access field, with a malformed one, or
   * sent sealed (escrow.ts). Refused; nothing stored. The server cannot check
   * the checkword: it lacks the message key. (An access field on an envelope of
   * another mode is ignored: neither stored nor passed on.)
   */
  BAD_ACCESS_FIELD: 422,
  /** Escrow shares that rebuild a key other than the escrow key (server/lawful-access/escrow-key.ts): refused, never used. */
  SHARES_DO_NOT_FIT: 422,
  /** The escrow key does not exist yet: the mode was never key-escrow. */
  ESCROW_NOT_SET_UP: 409,
  /** An envelope sent under a mode this server does not have. */
  UNKNOWN_POLICY_MODE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && value in ERROR_CODES;
}
