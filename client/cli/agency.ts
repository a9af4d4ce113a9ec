/**
 * The agency's role on the command line (`npm run agency -- COMMAND`): the
 * lawful-intercept console's API (shared/protocol/agency.ts) for scripts, and
 * the breach demonstration with the operator's token. Like the envelope CLI:
 * options before or after the command, the server from --server or
 * $ENVELOPE_SERVER, one JSON object per line on stdout, one line for people on
 * stderr when something fails, and an exit code that says what kind of failure.
 * It holds no keys and no profile: the console's token is all it needs.
 */
import { parseArgs } from 'node:util';
import {
  AuditLogSchema,
  BreachExportSchema,
  InsiderResultSchema,
  InterceptQueueSchema,
  InterceptWarrantSchema,
  RetrospectiveSchema,
  UsernameSchema,
  WarrantListSchema,
} from '@envelope/protocol';
import type { LineSink } from './report.js';

/** What the CLI needs of a protocol schema (zod's safeParse), without depending on zod itself. */
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

export const AGENCY_USAGE = `usage: npm run agency -- [--server URL] [--token TOKEN] COMMAND
  warrant TARGET --reference REF   start copying TARGET's messages from now on (prospective access)
  warrants                         the warrants entered, newest first
  end ID                           stop warrant ID
  queue ID [--after N]             what warrant ID copied (queue rows after N)
  past USERNAME                    USERNAME's messages the server still keeps (retrospective access)
  audit                            the console's audit log, newest first
  insider TARGET                   demonstration of an attack: a target with no warrant, and its audit line deleted
  breach [--operator-token TOKEN]  what a thief who copies the server's data directory gets (the operator's token)
A token that starts with "--" is written --token=TOKEN. --server defaults to $ENVELOPE_SERVER, --token to $ENVELOPE_AGENCY_TOKEN (the "agency page" link the server
prints ends in it), --operator-token to $ENVELOPE_OPERATOR_TOKEN.
stdout: one JSON object per line. Exit codes: 0 ok, 1 failed, 2 usage, 3 no such account or warrant,
4 server unreachable, 8 token refused.`;

export const AGENCY_EXIT = { OK: 0, FAILED: 1, USAGE: 2, NOT_FOUND: 3, UNREACHABLE: 4, REFUSED: 8 } as const;

const COMMANDS = { warrant: ['TARGET'], warrants: [], end: ['ID'], queue: ['ID'], past: ['USERNAME'], audit: [], insider: ['TARGET'], breach: [] } as const;
type AgencyCommand = keyof typeof COMMANDS;

const OPTIONS = {
  server: { type: 'string' },
  token: { type: 'string' },
  'operator-token': { type: 'string' },
  reference: { type: 'string' },
  after: { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** A failure worded for people, with its exit code. */
class AgencyCliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

const usage = (message: string) => new AgencyCliError(AGENCY_EXIT.USAGE, message);

export interface AgencyStreams {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: LineSink;
  readonly stderr: LineSink;
  /** The HTTP client (tests pass the global one too). */
  readonly fetch?: typeof fetch;
}

/** Runs one command; resolves to its exit code, never rejects. */
export async function runAgencyCli(argv: readonly string[], streams: AgencyStreams): Promise<number> {
  const json = (value: unknown) => streams.stdout.write(`${JSON.stringify(value)}\n`);
  try {
    const request = parse(argv, streams.env);
    if (request === 'help') {
      streams.stderr.write(`${AGENCY_USAGE}\n`);
      return AGENCY_EXIT.OK;
    }
    await execute(request, streams.fetch ?? fetch, json);
    return AGENCY_EXIT.OK;
  } catch (error) {
    const failure = error instanceof AgencyCliError ? error : new AgencyCliError(AGENCY_EXIT.FAILED, (error as Error).message);
    streams.stderr.write(`agency: ${failure.message}\n`);
    if (failure.exitCode === AGENCY_EXIT.USAGE) streams.stderr.write(`${AGENCY_USAGE}\n`);
    return failure.exitCode;
  }
}

interface AgencyRequest {
  readonly command: AgencyCommand;
  readonly argument: string | undefined;
  readonly server: string;
  readonly token: string;
  readonly reference: string | undefined;
  readonly after: number;
}

function parse(argv: readonly string[], env: AgencyStreams['env']): AgencyRequest | 'help' {
  // As the envelope CLI (args.ts): no one-letter options, so a word starting with one "-" (a base64url token
  // can) is a value, hidden from parseArgs behind a placeholder (a NUL cannot occur in an argument) and put back.
  const hidden = new Map<string, string>();
  const words = argv.map((word, index) => {
    if (!/^-[^-]/.test(word)) return word;
    hidden.set(`\u0000${index}`, word);
    return `\u0000${index}`;
  });
  const restore = (word: string) => hidden.get(word) ?? word;
  let parsed;
  try {
    parsed = parseArgs({ args: words, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw usage((error as Error).message.split('\n')[0]!);
  }
  const values = Object.fromEntries(Object.entries(parsed.values).map(([name, value]) => [name, typeof value === 'string' ? restore(value) : value])) as typeof parsed.values;
  const positionals = parsed.positionals.map(restore);
  if (values.help) return 'help';
  const [command, ...rest] = positionals;
  if (command === undefined) throw usage('no command given');
  if (!Object.hasOwn(COMMANDS, command)) throw usage(`unknown command "${command}" (the commands: ${Object.keys(COMMANDS).join(', ')})`);
  const expected = COMMANDS[command as AgencyCommand];
  if (rest.length !== expected.length) throw usage(`${command} takes ${expected.length === 0 ? 'no arguments' : expected.join(' ')}`);
  if (command === 'warrant' && !values.reference) throw usage('warrant needs --reference REF (the console cannot check it; it records it)');
  if (values.reference !== undefined && command !== 'warrant') throw usage('--reference applies to warrant only');
  if (values.after !== undefined && command !== 'queue') throw usage('--after applies to queue only');
  if (values['operator-token'] !== undefined && command !== 'breach') throw usage('--operator-token applies to breach only');
  const argument = rest[0];
  if ((command === 'end' || command === 'queue') && !/^[1-9]\d{0,14}$/.test(argument!)) throw usage(`${command} takes a warrant number, not "${argument}"`);
  if ((command === 'warrant' || command === 'past' || command === 'insider') && !UsernameSchema.safeParse(argument).success) {
    throw usage(`"${argument}" is not a username`);
  }
  if (values.after !== undefined && !/^\d{1,15}$/.test(values.after)) throw usage(`--after takes a queue row number, not "${values.after}"`);
  const server = values.server ?? env.ENVELOPE_SERVER;
  if (!server) throw usage('--server URL is required (or set ENVELOPE_SERVER)');
  const token = command === 'breach' ? (values['operator-token'] ?? env.ENVELOPE_OPERATOR_TOKEN) : (values.token ?? env.ENVELOPE_AGENCY_TOKEN);
  if (!token) {
    throw usage(command === 'breach' ? 'breach needs the operator token (--operator-token or ENVELOPE_OPERATOR_TOKEN)' : 'the agency token is required (--token or ENVELOPE_AGENCY_TOKEN)');
  }
  return { command: command as AgencyCommand, argument, server: server.replace(/\/+$/, ''), token, reference: values.reference, after: Number(values.after ?? 0) };
}

async function execute(request: AgencyRequest, fetcher: typeof fetch, json: (value: unknown) => void): Promise<void> {
  const call = <T>(method: string, path: string, schema: Schema<T>, body?: unknown) => callApi(fetcher, request, method, path, schema, body);
  const name = encodeURIComponent(request.argument ?? '');
  switch (request.command) {
    case 'warrant':
      json({ type: 'warrant', ...(await call('POST', '/api/agency/warrants', InterceptWarrantSchema, { target: request.argument, reference: request.reference })) });
      return;
    case 'warrants':
      for (const warrant of (await call('GET', '/api/agency/warrants', WarrantListSchema)).warrants) json({ type: 'warrant', ...warrant });
      return;
    case 'end':
      json({ type: 'warrant', ...(await call('DELETE', `/api/agency/warrants/${request.argument}`, InterceptWarrantSchema)) });
      return;
    case 'queue': {
      const queue = await call('GET', `/api/agency/warrants/${request.argument}/queue?after=${request.after}`, InterceptQueueSchema);
      for (const message of queue.messages) json({ type: 'copied', warrant: queue.warrant.id, ...message });
      json({ type: 'queue', warrant: queue.warrant.id, target: queue.warrant.target, shown: queue.messages.length, total: queue.total });
      return;
    }
    case 'past': {
      const past = await call('GET', `/api/agency/retrospective/${name}`, RetrospectiveSchema);
      for (const message of past.messages) json({ type: 'retained', ...message });
      json({ type: 'past', target: past.target, shown: past.messages.length, total: past.total, retentionDays: past.retentionDays });
      return;
    }
    case 'audit': {
      const audit = await call('GET', '/api/agency/audit', AuditLogSchema);
      for (const line of audit.lines) json({ type: 'audit', ...line });
      json({ type: 'audit-total', shown: audit.lines.length, total: audit.total });
      return;
    }
    case 'insider':
      json({ type: 'insider', ...(await call('POST', '/api/agency/insider', InsiderResultSchema, { target: request.argument })) });
      return;
    case 'breach': {
      const { sample, ...counts } = await call('GET', '/api/operator/breach', BreachExportSchema);
      json({ type: 'breach', ...counts });
      for (const message of sample) json({ type: 'stolen', ...message });
      return;
    }
  }
}

async function callApi<T>(fetcher: typeof fetch, request: AgencyRequest, method: string, path: string, schema: Schema<T>, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetcher(`${request.server}${path}`, {
      method,
      headers: { authorization: `Bearer ${request.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new AgencyCliError(AGENCY_EXIT.UNREACHABLE, `the server at ${request.server} did not answer (${(error as Error).message})`);
  }
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = (answer as { detail?: unknown } | null)?.detail;
    const said = typeof detail === 'string' ? `: ${detail}` : '';
    if (response.status === 401) throw new AgencyCliError(AGENCY_EXIT.REFUSED, `the server refused the token${said}`);
    if (response.status === 404) throw new AgencyCliError(AGENCY_EXIT.NOT_FOUND, `not found${said}`);
    if (response.status === 400) throw new AgencyCliError(AGENCY_EXIT.USAGE, `the server refused the request${said}`);
    throw new AgencyCliError(AGENCY_EXIT.FAILED, `the server answered ${response.status}${said}`);
  }
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new AgencyCliError(AGENCY_EXIT.FAILED, 'the server answered with something outside the protocol');
  return parsed.data;
}
