/**
 * Command-line parsing, by Node's own `parseArgs` (node:util): options may come
 * before or after the command; `--name value` and `--name=value` both work;
 * `--` ends the options (for a message text that starts with "--"). The CLI
 * has no one-letter options, so a word that starts with a single "-" is always
 * an argument or a value: a message id (base64url, so one in 64 starts with
 * "-"), a text such as "-1", a --wait of "-1" (refused as a value). Everything a
 * command needs is checked here, before its profile is opened, and each refusal
 * is a UsageError whose `code` says what kind of mistake it was.
 */
import { parseArgs as parseArgv } from 'node:util';
import type { AgeBand } from '@envelope/client-core';
import { MessageIdSchema, AGE_BANDS, REPORT_REASONS, type ReportReason } from '@envelope/protocol';

export const COMMANDS = ['register', 'send', 'receive', 'safety-number', 'trust', 'verify', 'report', 'sealed-sender', 'policy'] as const;
export type Command = (typeof COMMANDS)[number];

export interface ParsedArgs {
  readonly command: Command;
  /** The command's arguments, as many as it takes (ARGUMENTS), already checked. */
  readonly positionals: readonly string[];
  readonly server: string | undefined;
  readonly profile: string;
  /** receive --wait SECONDS */
  readonly waitSeconds: number | undefined;
  /** register --age-band BAND */
  readonly ageBand: AgeBand | undefined;
  /** report --reason REASON (the command's default when absent) */
  readonly reason: ReportReason | undefined;
  /** How long a command keeps trying to reach the server ($ENVELOPE_PATIENCE seconds, default 10). */
  readonly patienceMs: number;
}

/** What the command line asks for: the usage text, or a command to run. */
export type CommandLine = { readonly kind: 'help' } | { readonly kind: 'run'; readonly args: ParsedArgs };

/** Ten seconds: enough for a classroom network; a script on a slow or busy machine may raise it with ENVELOPE_PATIENCE. */
export const DEFAULT_PATIENCE_SECONDS = 10;

export type UsageErrorCode =
  /** An option the CLI does not have (`--colour`: a text starting with "--" goes after `--`). */
  | 'UNKNOWN_OPTION'
  /** An option that takes a value was given none (`--profile` last, or followed by another option). */
  | 'MISSING_VALUE'
  /** A flag was given a value (`--help=yes`). */
  | 'UNEXPECTED_VALUE'
  | 'NO_COMMAND'
  | 'UNKNOWN_COMMAND'
  /** The command needs more arguments (`send bob` without the text). */
  | 'MISSING_ARGUMENT'
  /** The command was given more arguments than it takes (often an unquoted text). */
  | 'EXTRA_ARGUMENT'
  /** An option of another command (`send ... --wait 3`). */
  | 'OPTION_NOT_FOR_COMMAND'
  /** A value the CLI cannot use (`--wait soon`, `--reason boredom`, `sealed-sender maybe`, ...). */
  | 'BAD_VALUE'
  /** Neither --profile nor $ENVELOPE_PROFILE. */
  | 'MISSING_PROFILE';

/** Bad input on the command line. The CLI prints the message, then the usage text, and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly code: UsageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Every option; all but --help take a value. */
const OPTIONS = {
  server: { type: 'string' },
  profile: { type: 'string' },
  wait: { type: 'string' },
  'age-band': { type: 'string' },
  reason: { type: 'string' },
  help: { type: 'boolean' },
} as const;
type OptionName = keyof typeof OPTIONS;

/** Options that belong to one command only. */
const COMMAND_OF_OPTION: Partial<Record<OptionName, Command>> = { wait: 'receive', 'age-band': 'register', reason: 'report' };

/** The arguments each command takes, by the names the usage text gives them. */
const ARGUMENTS: Record<Command, readonly string[]> = {
  register: ['NAME'],
  send: ['NAME', 'TEXT'],
  receive: [],
  'safety-number': ['NAME'],
  trust: ['NAME'],
  verify: ['NAME'],
  report: ['MESSAGE_ID'],
  'sealed-sender': ['on|off'],
  policy: [],
};

export const USAGE = `usage: envelope --profile DIR [--server URL] COMMAND
  register NAME [--age-band ${AGE_BANDS.join('|')}]
  send NAME TEXT     (a TEXT that starts with "--" goes after --, as in: send bob -- "--> here")
  receive [--wait SECONDS]
  safety-number NAME
  verify NAME        mark NAME's safety number as compared and matching
  trust NAME         accept NAME's changed identity key (releases held messages)
  report MESSAGE_ID [--reason ${REPORT_REASONS.join('|')}]
                     show the server one received message (its id from receive), so moderators can act on it
  sealed-sender on|off  hide (or show again) who sends this profile's messages from the server
  policy             the server's policy mode: what it can read (one JSON line)
--profile defaults to $ENVELOPE_PROFILE, --server to $ENVELOPE_SERVER or the profile's server.
$ENVELOPE_PATIENCE: seconds a command keeps trying to reach the server (default ${DEFAULT_PATIENCE_SECONDS}).
While the server's policy mode is not e2ee, every command says it on stderr ("policy: transport-only:
The server can read what you write."). A mode this app does not know is said too, and sends fail.
stdout: one JSON object per line. Exit codes: 0 ok, 1 failed, 2 usage, 3 unknown user,
4 server unreachable (an unconfirmed send stays queued and is resent by the next command),
5 identity key changed (see trust), 6 not registered, 7 name taken, 8 server refused our key (or the class was reset),
9 profile in use by another command, 10 report refused (the reason is printed),
11 refused by the policy mode (one this app does not know; the error is also a JSON line).`;

/**
 * Reads the command line. `--help` anywhere before `--` asks for the usage
 * text, even beside a mistake; anything else wrong throws a UsageError.
 */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CommandLine {
  const { words, restore } = protectSingleDashWords(argv);
  let parsed;
  try {
    parsed = parseStrictly(words);
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    if (asksForHelp(words)) return { kind: 'help' };
    throw explain(words, error);
  }
  if (parsed.values.help) return { kind: 'help' };
  const values = Object.fromEntries(
    Object.entries(parsed.values).map(([name, value]) => [name, typeof value === 'string' ? restore(value) : value]),
  ) as OptionValues;
  return { kind: 'run', args: interpret(values, parsed.positionals.map(restore), env) };
}

/**
 * parseArgs reads "-x…" as one-letter options, which this CLI does not have;
 * such words are hidden from it behind placeholders (a NUL cannot occur in a
 * command-line argument) and put back afterwards.
 */
function protectSingleDashWords(argv: readonly string[]): { words: string[]; restore: (word: string) => string } {
  const hidden = new Map<string, string>();
  const words = argv.map((word, index) => {
    if (!/^-[^-]/.test(word)) return word;
    const placeholder = `\u0000${index}`;
    hidden.set(placeholder, word);
    return placeholder;
  });
  return { words, restore: (word) => hidden.get(word) ?? word };
}

function parseStrictly(argv: readonly string[]) {
  return parseArgv({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
}

/** node:util's parseArgs refuses bad input with a TypeError whose code starts ERR_PARSE_ARGS_. */
function isParseArgsError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/**
 * The same command line read leniently, token by token: what strict parsing
 * refused is then known by name (Node's own messages run over several lines).
 */
function lenientTokens(argv: readonly string[]) {
  return parseArgv({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true }).tokens;
}

function asksForHelp(argv: readonly string[]): boolean {
  return lenientTokens(argv).some((token) => token.kind === 'option' && token.name === 'help' && token.value === undefined);
}

/** An argument parseArgs takes for an option rather than a value (Node's rule for "ambiguous" values). */
const looksLikeOption = (value: string) => value.length > 1 && value.startsWith('-');

function explain(argv: readonly string[], error: Error & { code: string }): UsageError {
  for (const token of lenientTokens(argv)) {
    if (token.kind !== 'option') continue;
    if (!Object.hasOwn(OPTIONS, token.name)) {
      // Never the value after it: that may be the start of a message text. The usage text says where such a text goes.
      return new UsageError('UNKNOWN_OPTION', `unknown option ${token.rawName}`);
    }
    const type = OPTIONS[token.name as OptionName].type;
    if (type === 'boolean' && token.value !== undefined) return new UsageError('UNEXPECTED_VALUE', `${token.rawName} takes no value`);
    if (type === 'string' && (token.value === undefined || (!token.inlineValue && looksLikeOption(token.value)))) {
      const dash = token.value === undefined ? '' : ` (a value that starts with "--" is written ${token.rawName}=--VALUE)`;
      return new UsageError('MISSING_VALUE', `${token.rawName} needs a value${dash}`);
    }
  }
  // Not reached while the checks above mirror parseArgs's own; kept so a future Node's new refusal still reads as usage.
  const code = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 'UNKNOWN_OPTION' : 'BAD_VALUE';
  return new UsageError(code, error.message.split('\n').join(' '));
}

type OptionValues = ReturnType<typeof parseStrictly>['values'];

function interpret(values: OptionValues, positionals: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedArgs {
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('NO_COMMAND', 'no command given');
  if (!isCommand(command)) throw new UsageError('UNKNOWN_COMMAND', `unknown command "${command}" (the commands: ${COMMANDS.join(', ')})`);
  const expected = ARGUMENTS[command];
  if (rest.length < expected.length) {
    throw new UsageError('MISSING_ARGUMENT', `${command} needs ${expected.slice(rest.length).join(' and ')} (${[command, ...expected].join(' ')})`);
  }
  if (rest.length > expected.length) {
    const takes = expected.length === 0 ? 'no arguments' : `only ${expected.join(' ')}`;
    throw new UsageError('EXTRA_ARGUMENT', `${command} takes ${takes}, and was given ${rest.length} (quote a text with spaces)`);
  }
  for (const [option, owner] of Object.entries(COMMAND_OF_OPTION)) {
    if (values[option as OptionName] !== undefined && owner !== command) {
      throw new UsageError('OPTION_NOT_FOR_COMMAND', `--${option} applies to ${owner} only`);
    }
  }
  const profile = values.profile ?? env.ENVELOPE_PROFILE;
  if (!profile) throw new UsageError('MISSING_PROFILE', '--profile DIR is required (or set ENVELOPE_PROFILE)');
  checkArguments(command, rest);
  return {
    command,
    positionals: rest,
    server: values.server ?? env.ENVELOPE_SERVER,
    profile,
    waitSeconds: seconds(values.wait),
    ageBand: oneOf(values['age-band'], AGE_BANDS, '--age-band'),
    reason: oneOf(values.reason, REPORT_REASONS, '--reason'),
    patienceMs: patience(env.ENVELOPE_PATIENCE) * 1000,
  };
}

const isCommand = (value: string): value is Command => (COMMANDS as readonly string[]).includes(value);

/** Arguments whose form is known before anything is sent. */
function checkArguments(command: Command, rest: readonly string[]): void {
  if (command === 'sealed-sender' && rest[0] !== 'on' && rest[0] !== 'off') {
    throw new UsageError('BAD_VALUE', `sealed-sender takes on or off, not "${rest[0]}"`);
  }
  if (command === 'report' && !MessageIdSchema.safeParse(rest[0]).success) {
    throw new UsageError('BAD_VALUE', `"${rest[0]}" is not a message id (take it from the "id" field that receive prints)`);
  }
}

function seconds(wait: string | undefined): number | undefined {
  if (wait === undefined) return undefined;
  const value = wait.trim() === '' ? Number.NaN : Number(wait);
  if (!Number.isFinite(value) || value < 0) throw new UsageError('BAD_VALUE', `--wait takes a number of seconds, not "${wait}"`);
  return value;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError('BAD_VALUE', `${option} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function patience(setting: string | undefined): number {
  if (setting === undefined || setting === '') return DEFAULT_PATIENCE_SECONDS;
  const value = Number(setting);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError('BAD_VALUE', 'ENVELOPE_PATIENCE takes a positive number of seconds');
  return value;
}
