/**
 * The operator API as the page uses it: every call carries the operator token
 * in the Authorization header (never in a URL, which would land in logs), and
 * every answer is parsed with the shared schemas before anything reads it.
 * The live stream is read with fetch and eventsource-parser (sse.ts), because EventSource
 * cannot send a header.
 */
import type { z } from 'zod';
import {
  OPERATOR_STREAM_EVENTS,
  OperatorAccountsResponseSchema,
  OperatorEnvelopesResponseSchema,
  OperatorGraphResponseSchema,
  OperatorSchemaResponseSchema,
  OperatorTimelineResponseSchema,
  type OperatorAccountsResponse,
  type OperatorAck,
  type OperatorEnvelope,
  type OperatorGraph,
  type OperatorStoredSchema,
  type OperatorTimeline,
} from './schemas.js';
import { SseParser } from './sse.js';
import {
  ContentResponseSchema,
  ScannerRuleSchema,
  ScannerRulesResponseSchema,
  type OperatorContentRow,
  type ScannerRule,
  type ScannerRuleRequest,
  type ScannerRules,
} from './content/schemas.js';
import { SignalsResponseSchema, type SignalsResponse } from './signals/schemas.js';
import { WarrantAnswerSchema, type WarrantAnswer } from './warrant/schemas.js';
import {
  BreachExportSchema,
  CLASS_RESET_CONFIRMATION,
  ClassCountsSchema,
  ClassResetAnswerSchema,
  EnvelopeLogExportSchema,
  MAX_CONTENT_ENTRIES,
  PolicyAnnouncementSchema,
  ReportQueueSchema,
  type BreachExport,
  type ClassActivity,
  type ClassCounts,
  type ClassResetAnswer,
  type EscrowCheckBits,
  type PolicyAnnouncement,
  type PolicyMode,
  type ReportQueue,
} from '@envelope/protocol';

export type OperatorApiErrorCode =
  /** The server refused the token (401). */
  | 'UNAUTHORIZED'
  /** No such account (404 from the timeline). */
  | 'NOT_FOUND'
  /** The server could not be reached, or the connection broke. */
  | 'NETWORK'
  /** The server answered with something outside the contract. */
  | 'BAD_RESPONSE'
  /** The server refused a change as invalid (400/422): `message` is its own explanation (the problem's detail), written for people. */
  | 'REJECTED';

export class OperatorApiError extends Error {
  constructor(
    readonly code: OperatorApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OperatorApiError';
  }
}

/** One parsed event of the live stream. */
/** Why a token could not open a page: the server refused it, or could not be reached. */
export const tokenFailure = (error: unknown): 'refused' | 'unreachable' =>
  error instanceof OperatorApiError && error.code === 'UNAUTHORIZED' ? 'refused' : 'unreachable';

export type StreamEvent =
  | { readonly type: 'envelope'; readonly envelope: OperatorEnvelope }
  | { readonly type: 'acked'; readonly ack: OperatorAck }
  | { readonly type: 'skipped'; readonly count: number }
  /** The operator (on this page or another) changed the server's policy mode. */
  | { readonly type: 'policy'; readonly announcement: PolicyAnnouncement }
  /** Something happened in the class besides envelopes: a join, a key change, a report, a warrant answer, a reset. */
  | { readonly type: 'activity'; readonly activity: ClassActivity };

export interface StreamHandlers {
  /** The server accepted the stream; events follow. */
  onOpen(): void;
  /** The events of one network chunk, in order (applied together, so a burst redraws once). */
  onEvents(events: readonly StreamEvent[]): void;
  /** Any bytes arrived (events or the keep-alive ping): the stream is alive. */
  onAlive(): void;
}

/** Envelopes the page asks for when it opens (newest first); the stream adds the rest. */
export const INITIAL_ENVELOPES = 200;
/** Content rows asked for at a time (the page asks again while a page comes back full). */
export const CONTENT_PAGE = MAX_CONTENT_ENTRIES;

export class OperatorApi {
  /** `baseUrl` is '' in the browser (same origin) and the server's address in tests. */
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  envelopes(limit = INITIAL_ENVELOPES): Promise<OperatorEnvelope[]> {
    return this.#get(`/api/operator/envelopes?limit=${limit}`, OperatorEnvelopesResponseSchema).then((r) => r.envelopes);
  }

  /** Every account, oldest first, with its devices, the one-time prekeys each has left and where it is connected from; and whether addresses are stored. */
  accounts(): Promise<OperatorAccountsResponse> {
    return this.#get('/api/operator/accounts', OperatorAccountsResponseSchema);
  }

  graph(): Promise<OperatorGraph> {
    return this.#get('/api/operator/graph', OperatorGraphResponseSchema);
  }

  timeline(username: string): Promise<OperatorTimeline> {
    return this.#get(`/api/operator/timeline/${encodeURIComponent(username)}`, OperatorTimelineResponseSchema);
  }

  storedSchema(): Promise<OperatorStoredSchema> {
    return this.#get('/api/operator/schema', OperatorSchemaResponseSchema);
  }

  /** What the server's metadata detectors flag (404: this server offers no signals). */
  signals(): Promise<SignalsResponse> {
    return this.#get('/api/operator/signals', SignalsResponseSchema);
  }

  /** The moderators' queue: reported messages, newest first. */
  reports(): Promise<ReportQueue> {
    return this.#get('/api/operator/reports', ReportQueueSchema);
  }

  /** Everything the server holds about one account (404: no such account). */
  warrant(username: string): Promise<WarrantAnswer> {
    return this.#get(`/api/operator/warrant/${encodeURIComponent(username)}`, WarrantAnswerSchema);
  }

  /** The server's policy mode, as every client is told it (public). */
  policy(): Promise<PolicyAnnouncement> {
    return this.#get('/api/policy', PolicyAnnouncementSchema);
  }

  /** Switches the server's policy mode; answers the new announcement (also sent to every client and on the stream). */
  setPolicy(mode: PolicyMode, checkBits?: EscrowCheckBits): Promise<PolicyAnnouncement> {
    // checkBits is a setting of key-escrow only (the server refuses it with any other mode).
    const body = mode === 'key-escrow' && checkBits !== undefined ? { mode, checkBits } : { mode };
    return this.#send('POST', '/api/operator/policy', body, PolicyAnnouncementSchema);
  }

  /** What a thief who copies the server's data directory gets (breach.ts): counts, the files, a sample. */
  breach(): Promise<BreachExport> {
    return this.#get('/api/operator/breach', BreachExportSchema);
  }

  /** What resetting the class would delete now (the confirmation lists it). */
  classCounts(): Promise<ClassCounts> {
    return this.#get('/api/operator/class', ClassCountsSchema);
  }

  /** Resets the class: deletes every account, mailbox, log and report; the mode returns to e2ee (shared/protocol/class.ts). */
  resetClass(): Promise<ClassResetAnswer> {
    return this.#send('POST', '/api/operator/class/reset', { confirm: CLASS_RESET_CONFIRMATION }, ClassResetAnswerSchema);
  }

  /** The whole envelope log as the server's export file: its text (to save as it is) and the file name the server gives it. */
  async envelopeLogFile(): Promise<{ text: string; fileName: string }> {
    const path = '/api/operator/envelopes/export';
    const response = await this.#fetch(path);
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new OperatorApiError('BAD_RESPONSE', `${path} did not answer with JSON`);
    }
    if (!EnvelopeLogExportSchema.safeParse(json).success) throw new OperatorApiError('BAD_RESPONSE', `${path} answered outside the operator API contract`);
    const named = /filename="?([A-Za-z0-9._-]+)"?/.exec(response.headers.get('content-disposition') ?? '');
    return { text, fileName: named?.[1] ?? 'envelope-log.json' };
  }

  /** Messages the server read (content log), oldest first, after `after` (a seq), each with the content scanner's matches. */
  content(after: number, limit = CONTENT_PAGE): Promise<OperatorContentRow[]> {
    return this.#get(`/api/operator/content?after=${after}&limit=${limit}`, ContentResponseSchema).then((r) => r.entries);
  }

  /** The content scanner's rules. */
  scannerRules(): Promise<ScannerRules> {
    return this.#get('/api/operator/scanner/rules', ScannerRulesResponseSchema);
  }

  /** Adds a rule; an invalid pattern is a REJECTED error with the server's reason. */
  addScannerRule(rule: ScannerRuleRequest): Promise<ScannerRule> {
    return this.#send('POST', '/api/operator/scanner/rules', rule, ScannerRuleSchema);
  }

  async deleteScannerRule(id: number): Promise<void> {
    await this.#change('DELETE', `/api/operator/scanner/rules/${id}`, undefined, null);
  }

  /**
   * Reads the stream until it ends (resolves) or fails (rejects with an
   * OperatorApiError). `after` is the last seq already shown, or null for
   * "from now on". Abort `signal` to stop reading.
   */
  async stream(after: number | null, handlers: StreamHandlers, signal: AbortSignal): Promise<void> {
    const query = after === null ? '' : `?after=${after}`;
    const response = await this.#fetch(`/api/operator/stream${query}`, signal, 'text/event-stream');
    if (!response.body) throw new OperatorApiError('BAD_RESPONSE', 'the stream has no body');
    handlers.onOpen();
    let batch: StreamEvent[] = [];
    let bad: OperatorApiError | null = null;
    const parser = new SseParser((event) => {
      const parsed = parseStreamEvent(event.type, event.data);
      if (parsed instanceof OperatorApiError) bad ??= parsed;
      else if (parsed) batch.push(parsed);
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        parser.push(value);
        handlers.onAlive();
        if (batch.length > 0) {
          const events = batch;
          batch = [];
          handlers.onEvents(events);
        }
        if (bad) throw bad;
      }
    } catch (error) {
      throw error instanceof OperatorApiError ? error : new OperatorApiError('NETWORK', 'the live stream broke off');
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  async #get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    return this.#parse(path, await this.#fetch(path), schema);
  }

  /** A change (POST, DELETE): a 400 or 422 becomes a REJECTED error with the server's own words. */
  async #change<S extends z.ZodType>(method: 'POST' | 'DELETE', path: string, body: unknown, schema: S | null): Promise<z.output<S> | null> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        cache: 'no-store',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new OperatorApiError('NETWORK', 'the server could not be reached');
    }
    if (response.status === 400 || response.status === 422) throw new OperatorApiError('REJECTED', await problemDetail(response));
    const checked = checkStatus(response);
    if (schema === null || checked.status === 204) return null;
    return this.#parse(path, checked, schema);
  }

  async #send<S extends z.ZodType>(method: 'POST' | 'DELETE', path: string, body: unknown, schema: S): Promise<z.output<S>> {
    const parsed = await this.#change(method, path, body, schema);
    if (parsed === null) throw new OperatorApiError('BAD_RESPONSE', `${path} answered without a body`);
    return parsed;
  }

  async #parse<S extends z.ZodType>(path: string, response: Response, schema: S): Promise<z.output<S>> {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new OperatorApiError('BAD_RESPONSE', `${path} did not answer with JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new OperatorApiError('BAD_RESPONSE', `${path} answered outside the operator API contract`);
    return parsed.data;
  }

  async #fetch(path: string, signal?: AbortSignal, accept = 'application/json'): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${this.token}`, accept },
        cache: 'no-store',
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new OperatorApiError('NETWORK', 'the server could not be reached');
    }
    return checkStatus(response);
  }
}

function checkStatus(response: Response): Response {
  if (response.status === 401) throw new OperatorApiError('UNAUTHORIZED', 'the server refused this operator token');
  if (response.status === 404) throw new OperatorApiError('NOT_FOUND', 'not found');
  if (!response.ok) throw new OperatorApiError(response.status >= 500 ? 'NETWORK' : 'BAD_RESPONSE', `the server answered ${response.status}`);
  return response;
}

/** The `detail` of an RFC 9457 problem (server/http/problem.ts), or its title, or the status. */
async function problemDetail(response: Response): Promise<string> {
  try {
    const problem = (await response.json()) as { detail?: unknown; title?: unknown };
    if (typeof problem.detail === 'string' && problem.detail !== '') return problem.detail;
    if (typeof problem.title === 'string' && problem.title !== '') return problem.title;
  } catch {
    // not JSON: the status says enough
  }
  return `the server refused it (${response.status})`;
}

/** An SSE event as a StreamEvent; null for an event name this page does not know (ignored, for forward compatibility). */
export function parseStreamEvent(type: string, data: string): StreamEvent | OperatorApiError | null {
  if (type === 'policy') return parsePolicyEvent(data);
  if (!Object.hasOwn(OPERATOR_STREAM_EVENTS, type)) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return new OperatorApiError('BAD_RESPONSE', `a "${type}" event is not JSON`);
  }
  const name = type as keyof typeof OPERATOR_STREAM_EVENTS;
  const parsed = OPERATOR_STREAM_EVENTS[name].safeParse(json);
  if (!parsed.success) return new OperatorApiError('BAD_RESPONSE', `a "${type}" event is outside the operator API contract`);
  switch (name) {
    case 'envelope':
      return { type: 'envelope', envelope: parsed.data as OperatorEnvelope };
    case 'acked':
      return { type: 'acked', ack: parsed.data as OperatorAck };
    case 'skipped':
      return { type: 'skipped', count: (parsed.data as { count: number }).count };
    case 'activity':
      return { type: 'activity', activity: parsed.data as ClassActivity };
    case 'policy':
      return null; // the web app's policy view reads it (policy-web)
  }
}

/** The stream's `policy` event: the announcement every client gets (shared/protocol/policy.ts). */
function parsePolicyEvent(data: string): StreamEvent | OperatorApiError {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return new OperatorApiError('BAD_RESPONSE', 'a "policy" event is not JSON');
  }
  const parsed = PolicyAnnouncementSchema.safeParse(json);
  if (!parsed.success) return new OperatorApiError('BAD_RESPONSE', 'a "policy" event is outside the operator API contract');
  return { type: 'policy', announcement: parsed.data };
}
