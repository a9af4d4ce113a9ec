/**
 * The HTTP half of the protocol (shared/protocol/http.ts). Every response is
 * parsed with its schema before use: the server is trusted to relay, never to
 * be well-formed. Failures become ClientErrors with a stable code.
 */
import { z } from 'zod';
import {
  BundleResponseSchema,
  ChallengeSchema,
  PreKeyStatusSchema,
  ProblemSchema,
  ServerInfoSchema,
  SessionGrantedSchema,
  StoredEnvelopeResponseSchema,
  type BundleResponse,
  type IdentityResetRequest,
  type PreKeyStatus,
  type PreKeyUpload,
  type RegisterRequest,
  type SessionRequest,
  type StoredEnvelope,
} from '@envelope/protocol';
import { type DeviceId, type MessageId, type Username, FiledReportSchema, type FiledReport, type ReportRequestWire } from '@envelope/protocol';
import {
  SealedStoredSchema,
  UNIDENTIFIED_ACCESS_HEADER,
  type AccessKeyUploadWire,
  SenderCertificateResponseSchema,
  type SealedSendRequestWire,
  type SealedStored,
  type SenderCertificateResponse,
} from '@envelope/protocol';
import { PolicyAnnouncementSchema, type PolicyAnnouncement } from '@envelope/protocol';
import { ClientError, isClientError, type ClientErrorCode } from './errors.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** An answer with no body (204): response.json() fails, and the body parses as undefined. */
const NoContentSchema = z.undefined();

/** A server that has not answered in this long is treated as unreachable. */
export const HTTP_TIMEOUT_MS = 10_000;

export type Challenge = z.output<typeof ChallengeSchema>;
export type SessionGranted = z.output<typeof SessionGrantedSchema>;
export type ServerInfo = z.output<typeof ServerInfoSchema>;

/** How a server's problem code reads to the client. */
const PROBLEM_TO_CLIENT: Record<z.output<typeof ProblemSchema>['code'], ClientErrorCode> = {
  BAD_REQUEST: 'PROTOCOL_ERROR',
  INVALID_SIGNATURE: 'AUTH_FAILED',
  UNAUTHORIZED: 'AUTH_FAILED',
  SEALED_ACCESS_DENIED: 'SEALED_ACCESS_DENIED',
  FORBIDDEN: 'AUTH_FAILED',
  NOT_FOUND: 'UNKNOWN_USER',
  UNKNOWN_RECIPIENT: 'UNKNOWN_USER',
  USERNAME_TAKEN: 'USERNAME_TAKEN',
  PAYLOAD_TOO_LARGE: 'PROTOCOL_ERROR',
  RATE_LIMITED: 'RATE_LIMITED',
  REPORT_REJECTED: 'REPORT_REJECTED',
  BAD_TRANSPORT_ENVELOPE: 'BAD_TRANSPORT_ENVELOPE',
  UNKNOWN_POLICY_MODE: 'UNKNOWN_POLICY_MODE',
  BAD_ACCESS_FIELD: 'BAD_ACCESS_FIELD',
  // Agency routes only: the client core never asks them.
  SHARES_DO_NOT_FIT: 'PROTOCOL_ERROR',
  ESCROW_NOT_SET_UP: 'PROTOCOL_ERROR',
  INTERNAL: 'SERVER_ERROR',
};

export class ServerApi {
  readonly #base: string;
  readonly #fetch: FetchLike;

  constructor(serverUrl: string, fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init)) {
    this.#base = new URL(serverUrl).origin;
    this.#fetch = fetchImpl;
  }

  challenge(): Promise<Challenge> {
    return this.#request('POST', '/api/auth/challenge', ChallengeSchema, { body: {} });
  }

  register(body: RegisterRequest): Promise<SessionGranted> {
    return this.#request('POST', '/api/accounts', SessionGrantedSchema, { body });
  }

  openSession(body: SessionRequest): Promise<SessionGranted> {
    return this.#request('POST', '/api/auth/session', SessionGrantedSchema, { body });
  }

  /** Consumes one-time prekeys on the server: fetch only when a session is needed. */
  bundle(username: Username, token: string): Promise<BundleResponse> {
    return this.#request('GET', `/api/accounts/${encodeURIComponent(username)}/bundle`, BundleResponseSchema, { token });
  }

  uploadPreKeys(upload: PreKeyUpload, token: string): Promise<PreKeyStatus> {
    return this.#request('PUT', '/api/keys', PreKeyStatusSchema, { body: upload, token });
  }

  preKeyStatus(token: string): Promise<PreKeyStatus> {
    return this.#request('GET', '/api/keys', PreKeyStatusSchema, { token });
  }

  /** Replaces this device's identity key and all its prekeys (resetKeys); the answer is a token for the new key. */
  resetIdentity(body: IdentityResetRequest, token: string): Promise<SessionGranted> {
    return this.#request('PUT', '/api/devices/self/identity', SessionGrantedSchema, { body, token });
  }

  /** The server's own row for an envelope we sent or received (the X-ray's other side). */
  storedEnvelope(id: MessageId, token: string): Promise<StoredEnvelope> {
    return this.#storedRow(id, `/api/envelopes/${encodeURIComponent(id)}`, token);
  }

  /**
   * The server's row for an envelope we sent sealed, deliberately asked for WITHOUT a token (as it was sent):
   * a token would tell the server who sent it. The id and the recipient device name the row.
   */
  storedSealedEnvelope(id: MessageId, to: Username, toDevice: DeviceId): Promise<StoredEnvelope> {
    const query = new URLSearchParams({ to, toDevice: String(toDevice) }).toString();
    return this.#storedRow(id, `/api/envelopes/${encodeURIComponent(id)}/sealed?${query}`);
  }

  async #storedRow(id: MessageId, path: string, token?: string): Promise<StoredEnvelope> {
    try {
      return (await this.#request('GET', path, StoredEnvelopeResponseSchema, token === undefined ? {} : { token })).envelope;
    } catch (error) {
      // NOT_FOUND reads as UNKNOWN_USER elsewhere (a bundle); here it is the envelope that is unknown.
      if (isClientError(error) && error.details.serverCode === 'NOT_FOUND') {
        throw new ClientError('NOT_FOUND', `the server holds no envelope ${id} of ours`, { serverCode: 'NOT_FOUND' });
      }
      throw error;
    }
  }

  /** Files a report of one received message (POST /api/reports); REPORT_REJECTED with the server's reason if it does not check out. */
  report(request: ReportRequestWire, token: string): Promise<FiledReport> {
    return this.#request('POST', '/api/reports', FiledReportSchema, { body: request, token });
  }

  /** A sender certificate for this device (sealed sender). */
  senderCertificate(token: string): Promise<SenderCertificateResponse> {
    return this.#request('GET', '/api/sender-certificate', SenderCertificateResponseSchema, { token });
  }

  /**
   * A sealed-sender envelope, deliberately sent WITHOUT a token: the request must
   * not say who we are. It carries the recipient's access key instead, without
   * which the server refuses it (SEALED_ACCESS_DENIED).
   */
  postSealed(request: SealedSendRequestWire, accessKey: string | undefined): Promise<SealedStored> {
    return this.#request('POST', '/api/sealed', SealedStoredSchema, { body: request, ...(accessKey ? { headers: { [UNIDENTIFIED_ACCESS_HEADER]: accessKey } } : {}) });
  }

  /** Registers this account's access key (profile-key.ts). */
  async uploadAccessKey(upload: AccessKeyUploadWire, token: string): Promise<void> {
    await this.#request('PUT', '/api/accounts/self/access-key', NoContentSchema, { body: upload, token });
  }

  info(): Promise<ServerInfo> {
    return this.#request('GET', '/api/info', ServerInfoSchema, {});
  }

  /** The server's policy mode (GET /api/policy, public). Its `mode` is any string: the caller decides whether it knows it (policy.ts). */
  policy(): Promise<PolicyAnnouncement> {
    return this.#request('GET', '/api/policy', PolicyAnnouncementSchema, {});
  }

  async #request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await this.#fetch(this.#base + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      });
    } catch {
      throw new ClientError('SERVER_UNREACHABLE', `cannot reach the server at ${this.#base}`);
    }
    const json = await response.json().catch(() => undefined);
    if (!response.ok) throw problemError(response, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ClientError('PROTOCOL_ERROR', `${method} ${path}: the server's answer does not match the protocol`);
    return parsed.data;
  }
}

function problemError(response: Response, json: unknown): ClientError {
  const problem = ProblemSchema.safeParse(json);
  const status = response.status;
  if (problem.success) {
    const code = PROBLEM_TO_CLIENT[problem.data.code];
    const retryAfter = Number(response.headers.get('retry-after'));
    const details: Record<string, string | number> = { status, serverCode: problem.data.code };
    if (Number.isFinite(retryAfter) && retryAfter > 0) details.retryAfterSeconds = retryAfter;
    return new ClientError(code, problem.data.detail ?? problem.data.title, details);
  }
  // Not problem JSON: a proxy in front of a server that is down, or a server that is not Envelope.
  if (status === 502 || status === 503 || status === 504) return new ClientError('SERVER_UNREACHABLE', `the server is unavailable (HTTP ${status})`);
  if (status === 429) return new ClientError('RATE_LIMITED', 'rate limited', { status });
  if (status >= 500) return new ClientError('SERVER_ERROR', `the server failed (HTTP ${status})`, { status });
  return new ClientError('PROTOCOL_ERROR', `unexpected HTTP ${status} without problem details`, { status });
}
