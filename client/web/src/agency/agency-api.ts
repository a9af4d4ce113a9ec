/**
 * The lawful-intercept console's API as the agency page uses it: the agency
 * token in the Authorization header (never in a URL), every answer parsed
 * with the shared schemas (shared/protocol/agency.ts) before anything reads it.
 */
import {
  AuditLogSchema,
  EscrowShareSchema,
  EscrowLeakResultSchema,
  EscrowOpenResultSchema,
  EscrowStatusSchema,
  type EscrowHolder,
  type EscrowLeakResult,
  type EscrowOpenResult,
  type EscrowShare,
  type EscrowStatus,
  InsiderResultSchema,
  InterceptQueueSchema,
  InterceptWarrantSchema,
  PolicyAnnouncementSchema,
  RetrospectiveSchema,
  WarrantListSchema,
  type AuditLog,
  type InsiderResult,
  type InterceptQueue,
  type InterceptWarrant,
  type PolicyAnnouncement,
  type Retrospective,
} from '@envelope/protocol';

export type AgencyApiErrorCode =
  /** The server refused the agency token (401). */
  | 'UNAUTHORIZED'
  /** No such account or warrant (404); the message is the server's. */
  | 'NOT_FOUND'
  /** The server refused the request as it was written (400, 409, 422); the message is the server's, `problem` its code. */
  | 'REJECTED'
  /** The server could not be reached. */
  | 'NETWORK'
  /** The server answered with something outside the contract. */
  | 'BAD_RESPONSE';

export class AgencyApiError extends Error {
  constructor(
    readonly code: AgencyApiErrorCode,
    message: string,
    /** The problem's own code (for example SHARES_DO_NOT_FIT), when the server gave one. */
    readonly problem: string | null = null,
  ) {
    super(message);
    this.name = 'AgencyApiError';
  }
}

/** Answers that refuse the request as written: a bad body or too few shares (400), no escrow key yet (409), shares that do not fit (422). */
const REFUSALS = new Set([400, 409, 422]);

interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

export class AgencyApi {
  /** `baseUrl` is '' in the browser (same origin). */
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  warrants(): Promise<InterceptWarrant[]> {
    return this.#call('GET', '/api/agency/warrants', WarrantListSchema).then((list) => list.warrants);
  }

  openWarrant(target: string, reference: string): Promise<InterceptWarrant> {
    return this.#call('POST', '/api/agency/warrants', InterceptWarrantSchema, { target, reference });
  }

  endWarrant(id: number): Promise<InterceptWarrant> {
    return this.#call('DELETE', `/api/agency/warrants/${id}`, InterceptWarrantSchema);
  }

  /** What warrant `id` copied after queue row `after` (0: from the start). */
  queue(id: number, after = 0): Promise<InterceptQueue> {
    return this.#call('GET', `/api/agency/warrants/${id}/queue?after=${after}`, InterceptQueueSchema);
  }

  retrospective(username: string): Promise<Retrospective> {
    return this.#call('GET', `/api/agency/retrospective/${encodeURIComponent(username)}`, RetrospectiveSchema);
  }

  audit(): Promise<AuditLog> {
    return this.#call('GET', '/api/agency/audit', AuditLogSchema);
  }

  insider(target: string): Promise<InsiderResult> {
    return this.#call('POST', '/api/agency/insider', InsiderResultSchema, { target });
  }

  /** The escrow key: its holders and their share files, the check width, how many messages are retained. */
  escrowStatus(): Promise<EscrowStatus> {
    return this.#call('GET', '/api/agency/escrow', EscrowStatusSchema);
  }

  /** Demo only: a holder's share, read from its file on the server's machine (in reality the holder brings it). */
  escrowShare(holder: EscrowHolder): Promise<EscrowShare> {
    return this.#call('GET', `/api/agency/escrow/shares/${holder}`, EscrowShareSchema);
  }

  /** Opens every retained message to or from `username` with the shares given (at least two are needed). */
  escrowOpen(username: string, reference: string, shares: readonly EscrowShare[]): Promise<EscrowOpenResult> {
    return this.#call('POST', '/api/agency/escrow/open', EscrowOpenResultSchema, { username, reference, shares });
  }

  /** The "escrow key leaks" demonstration (an attack): every retained message of everyone. */
  escrowLeak(shares: readonly EscrowShare[]): Promise<EscrowLeakResult> {
    return this.#call('POST', '/api/agency/escrow/leak', EscrowLeakResultSchema, { shares });
  }

  /** The server's policy mode (public). */
  policy(): Promise<PolicyAnnouncement> {
    return this.#call('GET', '/api/policy', PolicyAnnouncementSchema);
  }

  async #call<T>(method: string, path: string, schema: Schema<T>, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new AgencyApiError('NETWORK', 'the server could not be reached');
    }
    const answer: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const { detail, code } = (answer ?? {}) as { detail?: unknown; code?: unknown };
      const said = typeof detail === 'string' ? detail : `status ${response.status}`;
      const problem = typeof code === 'string' ? code : null;
      if (response.status === 401) throw new AgencyApiError('UNAUTHORIZED', said, problem);
      if (response.status === 404) throw new AgencyApiError('NOT_FOUND', said, problem);
      if (REFUSALS.has(response.status)) throw new AgencyApiError('REJECTED', said, problem);
      throw new AgencyApiError('NETWORK', said);
    }
    const parsed = schema.safeParse(answer);
    if (!parsed.success) throw new AgencyApiError('BAD_RESPONSE', 'the server’s answer did not match what this page expects');
    return parsed.data;
  }
}

/** A failure in the words the page shows. */
export function agencyFailureText(error: unknown): string {
  if (!(error instanceof AgencyApiError)) return 'Something went wrong on this page.';
  switch (error.code) {
    case 'UNAUTHORIZED':
      return 'The server refused the agency token. Open the page again with the agency link the server printed.';
    case 'NOT_FOUND':
      return `Not found: ${error.message}.`;
    case 'REJECTED':
      return `The server refused it: ${error.message}.`;
    case 'NETWORK':
      return 'The server could not be reached. Try again in a moment.';
    case 'BAD_RESPONSE':
      return 'The server’s answer did not match what this page expects.';
  }
}
