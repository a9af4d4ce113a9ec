/**
 * The agency's role on the command line (`npm run agency -- COMMAND`): the
 * lawful-intercept console's API (shared/protocol/agency.ts) for scripts, and
 * the breach demonstration with the operator's token. Like the envelope CLI:
 * options before or after the command, the server from --server or
 * $ENVELOPE_SERVER, one JSON object per line on stdout, one line for people on
 * stderr when something fails, and an exit code that says what kind of failure.
 * It holds no keys and no profile: the console's token is all it needs.
 *
 * Key escrow (`escrow status|open|leak`): the holders named with --holders
 * bring their shares, which in this demo the CLI fetches from the server's
 * demo-only route (all share files sit on the server's machine; in reality
 * each holder keeps its own), one `share` line per holder, then the opening.
 */
import { parseArgs } from 'node:util';
import {
  AuditLogSchema,
  BreachExportSchema,
  ESCROW_HOLDERS,
  EscrowLeakResultSchema,
  EscrowOpenResultSchema,
  EscrowShareSchema,
  EscrowStatusSchema,
  type EscrowHolder,
  type EscrowShare,
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
  escrow status                    the escrow key: its holders and share files, the check width, messages retained
  escrow open USERNAME --holders court,agency --reference REF
                                   the holders bring their shares (2 of court, agency, provider) and open USERNAME's retained messages
  escrow leak --holders court,provider
                                   demonstration of an attack: the escrow key leaks, and everyone's retained messages open
A token that starts with "--" is written --token=TOKEN. --server defaults to $ENVELOPE_SERVER, --token to $ENVELOPE_AGENCY_TOKEN (the "agency page" link the server
prints ends in it), --operator-token to $ENVELOPE_OPERATOR_TOKEN.
stdout: one JSON object per line. Exit codes: 0 ok, 1 failed, 2 usage, 3 no such account or warrant,
4 server unreachable, 8 token refused, 9 the escrow refused the shares (too few, or not of this key) or has no key yet.`;

export const AGENCY_EXIT = { OK: 0, FAILED: 1, USAGE: 2, NOT_FOUND: 3, UNREACHABLE: 4, REFUSED: 8, ESCROW_REFUSED: 9 } as const;

const COMMANDS = {
  warrant: ['TARGET'],
  warrants: [],
  end: ['ID'],
  queue: ['ID'],
  past: ['USERNAME'],
  audit: [],
  insider: ['TARGET'],
  breach: [],
  'escrow status': [],
  'escrow open': ['USERNAME'],
  'escrow leak': [],
} as const;
type AgencyCommand = keyof typeof COMMANDS;
const ESCROW_SUBCOMMANDS = ['status', 'open', 'leak'] as const;

const OPTIONS = {
  server: { type: 'string' },
  token: { type: 'string' },
  'operator-token': { type: 'string' },
  reference: { type: 'string' },
  holders: { type: 'string' },
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
  /** The holders who bring their shares (escrow open and leak). */
  readonly holders: readonly EscrowHolder[];
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
  let [command, ...rest] = positionals;
  if (command === undefined) throw usage('no command given');
  if (command === 'escrow') {
    const sub = rest.shift();
    if (!(ESCROW_SUBCOMMANDS as readonly (string | undefined)[]).includes(sub)) throw usage(`escrow takes ${ESCROW_SUBCOMMANDS.join(', ')}`);
    command = `escrow ${sub}`;
  }
  if (!Object.hasOwn(COMMANDS, command)) throw usage(`unknown command "${command}" (the commands: ${Object.keys(COMMANDS).join(', ')})`);
  const expected = COMMANDS[command as AgencyCommand];
  if (rest.length !== expected.length) throw usage(`${command} takes ${expected.length === 0 ? 'no arguments' : expected.join(' ')}`);
  const takesReference = command === 'warrant' || command === 'escrow open';
  if (takesReference && !values.reference) throw usage(`${command} needs --reference REF (the console cannot check it; it records it)`);
  if (values.reference !== undefined && !takesReference) throw usage('--reference applies to warrant and escrow open only');
  const takesHolders = command === 'escrow open' || command === 'escrow leak';
  if (takesHolders && !values.holders) throw usage(`${command} needs --holders, for example --holders court,agency (2 of ${ESCROW_HOLDERS.join(', ')})`);
  if (values.holders !== undefined && !takesHolders) throw usage('--holders applies to escrow open and escrow leak only');
  const holders = values.holders === undefined ? [] : parseHolders(values.holders);
  if (values.after !== undefined && command !== 'queue') throw usage('--after applies to queue only');
  if (values['operator-token'] !== undefined && command !== 'breach') throw usage('--operator-token applies to breach only');
  const argument = rest[0];
  if ((command === 'end' || command === 'queue') && !/^[1-9]\d{0,14}$/.test(argument!)) throw usage(`${command} takes a warrant number, not "${argument}"`);
  if ((command === 'warrant' || command === 'past' || command === 'insider' || command === 'escrow open') && !UsernameSchema.safeParse(argument).success) {
    throw usage(`"${argument}" is not a username`);
  }
  if (values.after !== undefined && !/^\d{1,15}$/.test(values.after)) throw usage(`--after takes a queue row number, not "${values.after}"`);
  const server = values.server ?? env.ENVELOPE_SERVER;
  if (!server) throw usage('--server URL is required (or set ENVELOPE_SERVER)');
  const token = command === 'breach' ? (values['operator-token'] ?? env.ENVELOPE_OPERATOR_TOKEN) : (values.token ?? env.ENVELOPE_AGENCY_TOKEN);
  if (!token) {
    throw usage(command === 'breach' ? 'breach needs the operator token (--operator-token or ENVELOPE_OPERATOR_TOKEN)' : 'the agency token is required (--token or ENVELOPE_AGENCY_TOKEN)');
  }
  return { command: command as AgencyCommand, argument, server: server.replace(/\/+$/, ''), token, reference: values.reference, after: Number(values.after ?? 0), holders };
}

/** "court,agency" → the holders, each named once; fewer than two is left to the server to refuse (that is the demonstration). */
function parseHolders(list: string): EscrowHolder[] {
  const names = list.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(ESCROW_HOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) throw usage(`--holders names ${ESCROW_HOLDERS.join(', ')}, not "${unknown.join(', ')}"`);
  if (new Set(names).size !== names.length) throw usage('--holders names each holder once');
  return names as EscrowHolder[];
}

async function execute(request: AgencyRequest, fetcher: typeof fetch, json: (value: unknown) => void): Promise<void> {
  const call = <T>(method: string, path: string, schema: Schema<T>, body?: unknown) => callApi(fetcher, request, method, path, schema, body);
  /** Key escrow: a refusal of the shares (400 too few, 409 no key yet, 422 not of this key) is its own exit code. */
  const escrowCall = <T>(method: string, path: string, schema: Schema<T>, body?: unknown) =>
    callApi(fetcher, request, method, path, schema, body, AGENCY_EXIT.ESCROW_REFUSED);
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
    case 'escrow status':
      json({ type: 'escrow', ...(await call('GET', '/api/agency/escrow', EscrowStatusSchema)) });
      return;
    case 'escrow open': {
      const shares = await handOver(request, escrowCall, json);
      const { messages, ...result } = await escrowCall('POST', '/api/agency/escrow/open', EscrowOpenResultSchema, { username: request.argument, reference: request.reference, shares });
      for (const message of messages) json({ type: 'opened', ...message });
      json({ type: 'escrow-open', ...result });
      return;
    }
    case 'escrow leak': {
      const shares = await handOver(request, escrowCall, json);
      const { sample, ...result } = await escrowCall('POST', '/api/agency/escrow/leak', EscrowLeakResultSchema, { shares });
      json({ type: 'escrow-leak', ...result });
      for (const message of sample) json({ type: 'leaked', ...message });
      return;
    }
  }
}

/** The holders bring their shares: in this demo, each read from the server's demo-only route; one `share` line per holder. */
async function handOver(request: AgencyRequest, call: <T>(method: string, path: string, schema: Schema<T>) => Promise<T>, json: (value: unknown) => void): Promise<EscrowShare[]> {
  const shares: EscrowShare[] = [];
  for (const holder of request.holders) {
    shares.push(await call('GET', `/api/agency/escrow/shares/${holder}`, EscrowShareSchema));
    json({ type: 'share', holder, handedOver: true });
  }
  return shares;
}

async function callApi<T>(
  fetcher: typeof fetch,
  request: AgencyRequest,
  method: string,
  path: string,
  schema: Schema<T>,
  body?: unknown,
  /** The exit code for 400, 409 and 422 answers, when they mean something other than bad arguments. */
  refusedExit?: number,
): Promise<T> {
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
    if (refusedExit !== undefined && [400, 409, 422].includes(response.status)) throw new AgencyCliError(refusedExit, `the escrow refused${said}`);
    if (response.status === 400) throw new AgencyCliError(AGENCY_EXIT.USAGE, `the server refused the request${said}`);
    throw new AgencyCliError(AGENCY_EXIT.FAILED, `the server answered ${response.status}${said}`);
  }
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new AgencyCliError(AGENCY_EXIT.FAILED, 'the server answered with something outside the protocol');
  return parsed.data;
}
