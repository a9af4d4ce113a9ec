/**
 * One error class for the client layer. Callers (the CLI, the web app, tests)
 * branch on `code`, never on the message text; messages never contain keys or
 * plaintext.
 */
export type ClientErrorCode =
  /** The profile has no account yet: run register first. */
  | 'NOT_REGISTERED'
  /** register() on a profile that already holds an account. */
  | 'ALREADY_REGISTERED'
  | 'USERNAME_TAKEN'
  /** The server does not know that username. */
  | 'UNKNOWN_USER'
  /** A contact's identity key changed; nothing is sent until trustNewKey(contact). */
  | 'KEY_CHANGED'
  /** The server has no such record (e.g. an envelope id it never stored for us). */
  | 'NOT_FOUND'
  /** The server could not be reached (connection refused, DNS, network down). */
  | 'SERVER_UNREACHABLE'
  | 'RATE_LIMITED'
  /** The server refused our proof of identity (e.g. its data was wiped, or the profile is for another server). */
  | 'AUTH_FAILED'
  /**
   * The operator reset the class (the server closed the connection with
   * CLOSE_CLASS_RESET): this account no longer exists there. The client stops
   * reconnecting; joining again makes a new account.
   */
  | 'CLASS_RESET'
  /** The server answered something that does not match the protocol. */
  | 'PROTOCOL_ERROR'
  /**
   * The server refused a sealed envelope: we do not hold the recipient's current
   * access key (they never wrote to us, or changed their profile key).
   */
  | 'SEALED_ACCESS_DENIED'
  /** The server checked a report and refused it (its stamp or commitment does not match): the message says why. */
  | 'REPORT_REJECTED'
  /** The message cannot be reported (not received here, not a text message, or sent before reports existed). */
  | 'NOT_REPORTABLE'
  /** The server reported an internal error. */
  | 'SERVER_ERROR'
  /** Bad input from the caller (username, text too long, ...). */
  | 'INVALID_ARGUMENT'
  /** The stored profile is unreadable or of an unknown version. */
  | 'STORE_CORRUPT'
  /**
   * Another client (another browser tab, another process) took this profile
   * over: this one may no longer change it, and stops (ownership.ts).
   */
  | 'NOT_OWNER'
  /** The client was closed while the operation waited. */
  | 'CLOSED'
  /**
   * The server announced a policy mode this client does not know (or has not
   * announced one yet): it refuses to send rather than guess what the server
   * can read (fail closed; @envelope/protocol policy.ts).
   */
  | 'UNKNOWN_POLICY_MODE'
  /** The server refused an envelope as not fitting the mode it claims (a transport-only body it cannot open). */
  | 'BAD_TRANSPORT_ENVELOPE'
  /** The server refused a key-escrow envelope's access field (missing or malformed; @envelope/protocol escrow.ts). */
  | 'BAD_ACCESS_FIELD';

export class ClientError extends Error {
  override readonly name = 'ClientError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    /** Extra machine-readable context (a contact name, a retry delay); never secrets. */
    readonly details: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
  }
}

export function isClientError(error: unknown, code?: ClientErrorCode): error is ClientError {
  return error instanceof ClientError && (code === undefined || error.code === code);
}
