/**
 * Command-line parsing. Options may come before or after the command;
 * `--name value` and `--name=value` both work; `--` ends the options (for a
 * message text that starts with "--").
 */
export const COMMANDS = ['register', 'send', 'receive', 'safety-number', 'trust', 'verify', 'report', 'sealed-sender'] as const;
export type Command = (typeof COMMANDS)[number];

export interface ParsedArgs {
  readonly command: Command;
  readonly positionals: readonly string[];
  readonly server: string | undefined;
  readonly profile: string;
  /** receive --wait SECONDS */
  readonly waitSeconds: number | undefined;
  /** register --age-band BAND */
  readonly ageBand: string | undefined;
  /** report --reason REASON */
  readonly reason: string | undefined;
  /** How long a command keeps trying to reach the server ($ENVELOPE_PATIENCE seconds, default 10). */
  readonly patienceMs: number;
}

/** Ten seconds: enough for a classroom network; a script on a slow or busy machine may raise it with ENVELOPE_PATIENCE. */
export const DEFAULT_PATIENCE_SECONDS = 10;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const VALUE_OPTIONS = new Set(['server', 'profile', 'wait', 'age-band', 'reason']);

/** How many positionals each command takes. */
const ARITY: Record<Command, { names: string; count: number }> = {
  register: { names: 'NAME', count: 1 },
  send: { names: 'NAME TEXT', count: 2 },
  receive: { names: '', count: 0 },
  'safety-number': { names: 'NAME', count: 1 },
  trust: { names: 'NAME', count: 1 },
  verify: { names: 'NAME', count: 1 },
  report: { names: 'MESSAGE_ID', count: 1 },
  'sealed-sender': { names: 'on|off', count: 1 },
};

export const USAGE = `usage: envelope --profile DIR [--server URL] COMMAND
  register NAME [--age-band under-13|13-15|16-17|adult]
  send NAME TEXT
  receive [--wait SECONDS]
  safety-number NAME
  verify NAME        mark NAME's safety number as compared and matching
  trust NAME         accept NAME's changed identity key (releases held messages)
  report MESSAGE_ID [--reason harassment|threat|spam|child-safety|other]
                     show the server one received message (its id from receive), so moderators can act on it
  sealed-sender on|off  hide (or show again) who sends this profile's messages from the server
--profile defaults to $ENVELOPE_PROFILE, --server to $ENVELOPE_SERVER or the profile's server.
$ENVELOPE_PATIENCE: seconds a command keeps trying to reach the server (default ${DEFAULT_PATIENCE_SECONDS}).
stdout: one JSON object per line. Exit codes: 0 ok, 1 failed, 2 usage, 3 unknown user,
4 server unreachable (an unconfirmed send stays queued and is resent by the next command),
5 identity key changed (see trust), 6 not registered, 7 name taken, 8 server refused our key,
9 profile in use by another command, 10 report refused (the reason is printed).`;

export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ParsedArgs {
  const options = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option --${name}`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    options.set(name, value);
  }

  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('no command given');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}"`);
  const arity = ARITY[command as Command];
  if (rest.length !== arity.count) {
    throw new UsageError(`${command} takes ${arity.count === 0 ? 'no arguments' : arity.names}${rest.length > arity.count ? ' (quote a text with spaces)' : ''}`);
  }

  const profile = options.get('profile') ?? env.ENVELOPE_PROFILE;
  if (!profile) throw new UsageError('--profile DIR is required');
  let waitSeconds: number | undefined;
  if (options.has('wait')) {
    if (command !== 'receive') throw new UsageError('--wait applies to receive only');
    waitSeconds = Number(options.get('wait'));
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new UsageError('--wait takes a number of seconds');
  }
  const patienceSeconds = env.ENVELOPE_PATIENCE === undefined || env.ENVELOPE_PATIENCE === '' ? DEFAULT_PATIENCE_SECONDS : Number(env.ENVELOPE_PATIENCE);
  if (!Number.isFinite(patienceSeconds) || patienceSeconds <= 0) throw new UsageError('ENVELOPE_PATIENCE takes a positive number of seconds');
  if (options.has('age-band') && command !== 'register') throw new UsageError('--age-band applies to register only');
  if (options.has('reason') && command !== 'report') throw new UsageError('--reason applies to report only');
  return {
    command: command as Command,
    positionals: rest,
    server: options.get('server') ?? env.ENVELOPE_SERVER,
    profile,
    waitSeconds,
    ageBand: options.get('age-band'),
    reason: options.get('reason'),
    patienceMs: patienceSeconds * 1000,
  };
}
