import { describe, expect, it } from 'vitest';
import { COMMANDS, parseCommandLine, UsageError, type ParsedArgs, type UsageErrorCode } from './args.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The parsed command, failing the test if the line asked for help instead. */
function parsed(argv: readonly string[], env: Env = {}): ParsedArgs {
  const line = parseCommandLine(argv, env);
  if (line.kind !== 'run') throw new Error(`expected a command, got ${line.kind}`);
  return line.args;
}

/** The UsageError the line is refused with, failing the test if it is accepted or fails otherwise. */
function refusal(argv: readonly string[], env: Env = {}): UsageError {
  try {
    parseCommandLine(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
}

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
/** Message ids are base64url: one in 64 starts with "-", and `report` must take it as it is. */
const DASH_ID = '-AAAAAAAAAAAAAAAAAAAAA';

describe('CLI arguments', () => {
  it('takes options before or after the command, in both spellings', () => {
    const a = parsed(['--server', 'http://h:1', '--profile', 'p', 'send', 'bob', 'hello there']);
    const b = parsed(['send', 'bob', 'hello there', '--profile=p', '--server=http://h:1']);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ command: 'send', positionals: ['bob', 'hello there'], server: 'http://h:1', profile: 'p' });
  });

  it('parses each command with its arguments and its own options', () => {
    const cases: [string[], Partial<ParsedArgs>][] = [
      [['register', 'alice'], { command: 'register', positionals: ['alice'], ageBand: undefined }],
      [['register', 'alice', '--age-band', '13-15'], { command: 'register', positionals: ['alice'], ageBand: '13-15' }],
      [['send', 'bob', 'hi Bob'], { command: 'send', positionals: ['bob', 'hi Bob'] }],
      [['receive'], { command: 'receive', positionals: [], waitSeconds: undefined }],
      [['receive', '--wait', '2.5'], { command: 'receive', positionals: [], waitSeconds: 2.5 }],
      [['receive', '--wait=0'], { command: 'receive', waitSeconds: 0 }],
      [['safety-number', 'alice'], { command: 'safety-number', positionals: ['alice'] }],
      [['trust', 'alice'], { command: 'trust', positionals: ['alice'] }],
      [['verify', 'alice'], { command: 'verify', positionals: ['alice'] }],
      [['report', ID], { command: 'report', positionals: [ID], reason: undefined }],
      [['report', ID, '--reason', 'spam'], { command: 'report', positionals: [ID], reason: 'spam' }],
      [['report', DASH_ID], { command: 'report', positionals: [DASH_ID] }],
      [['report', DASH_ID, '--reason', 'spam'], { command: 'report', positionals: [DASH_ID], reason: 'spam' }],
      [['sealed-sender', 'on'], { command: 'sealed-sender', positionals: ['on'] }],
      [['sealed-sender', 'off'], { command: 'sealed-sender', positionals: ['off'] }],
      [['policy'], { command: 'policy', positionals: [] }],
    ];
    expect(new Set(cases.map(([, expected]) => expected.command))).toEqual(new Set(COMMANDS));
    for (const [argv, expected] of cases) {
      expect(parsed(['--profile', 'p', ...argv]), argv.join(' ')).toMatchObject({ profile: 'p', ...expected });
    }
  });

  it('reads the environment for defaults, and options win over it', () => {
    const env = { ENVELOPE_PROFILE: 'env-p', ENVELOPE_SERVER: 'http://e' };
    expect(parsed(['receive'], env)).toMatchObject({ profile: 'env-p', server: 'http://e' });
    expect(parsed(['receive', '--profile', 'p', '--server', 'http://o'], env)).toMatchObject({ profile: 'p', server: 'http://o' });
    expect(parsed(['--profile', 'p', 'receive']).server).toBeUndefined();
  });

  it('takes its patience with the server from ENVELOPE_PATIENCE, in seconds, and refuses nonsense', () => {
    expect(parsed(['--profile', 'p', 'receive']).patienceMs).toBe(10_000);
    expect(parsed(['--profile', 'p', 'receive'], { ENVELOPE_PATIENCE: '90' }).patienceMs).toBe(90_000);
    for (const bad of ['0', '-1', 'soon', 'Infinity']) {
      expect(refusal(['--profile', 'p', 'receive'], { ENVELOPE_PATIENCE: bad }).code, bad).toBe('BAD_VALUE');
    }
  });

  it('a text that starts with - or -- can follow --, and a lone - is a text', () => {
    expect(parsed(['--profile', 'p', 'send', 'bob', '--', '--not an option']).positionals).toEqual(['bob', '--not an option']);
    expect(parsed(['--profile', 'p', 'send', 'bob', '--', '-1 for me']).positionals).toEqual(['bob', '-1 for me']);
    expect(parsed(['--profile', 'p', 'send', 'bob', '--', '--help']).positionals).toEqual(['bob', '--help']);
    expect(parsed(['--profile', 'p', 'send', 'bob', '-']).positionals).toEqual(['bob', '-']);
    // No one-letter options: a word with one leading "-" is an argument, where it stands.
    expect(parsed(['--profile', 'p', 'send', 'bob', '-1 for me']).positionals).toEqual(['bob', '-1 for me']);
    expect(parsed(['--profile', 'p', 'send', '-bob', 'hi']).positionals).toEqual(['-bob', 'hi']);
    expect(parsed(['--profile', '-p', 'receive']).profile).toBe('-p');
  });

  it('--help anywhere before -- asks for the usage text, even beside a mistake', () => {
    for (const argv of [['--help'], ['send', '--help'], ['--profile', 'p', 'receive', '--help'], ['--colour', '--help'], ['dance', '--help']]) {
      expect(parseCommandLine(argv), argv.join(' ')).toEqual({ kind: 'help' });
    }
  });

  it('refuses bad input with a UsageError whose code and message name the problem', () => {
    const cases: [string[], UsageErrorCode, RegExp][] = [
      [['receive', '--colour', 'red'], 'UNKNOWN_OPTION', /^unknown option --colour$/],
      [['receive', '--colour=red'], 'UNKNOWN_OPTION', /^unknown option --colour$/],
      [['send', 'bob', '--hi'], 'UNKNOWN_OPTION', /^unknown option --hi$/],
      [['receive', '--wait'], 'MISSING_VALUE', /^--wait needs a value$/],
      [['receive', '--wait', '--x'], 'MISSING_VALUE', /^--wait needs a value \(a value that starts with "--" is written --wait=--VALUE\)$/],
      [['receive', '--wait', '-1'], 'BAD_VALUE', /^--wait takes a number of seconds, not "-1"$/],
      [['receive', '--server', '--wait', '3'], 'MISSING_VALUE', /^--server needs a value/],
      [['--help=yes'], 'UNEXPECTED_VALUE', /^--help takes no value$/],
      [[], 'NO_COMMAND', /no command given/],
      [['dance'], 'UNKNOWN_COMMAND', /^unknown command "dance" \(the commands: register, send, receive, /],
      [['register'], 'MISSING_ARGUMENT', /^register needs NAME \(register NAME\)$/],
      [['send'], 'MISSING_ARGUMENT', /^send needs NAME and TEXT \(send NAME TEXT\)$/],
      [['send', 'bob'], 'MISSING_ARGUMENT', /^send needs TEXT \(send NAME TEXT\)$/],
      [['safety-number'], 'MISSING_ARGUMENT', /^safety-number needs NAME/],
      [['trust'], 'MISSING_ARGUMENT', /^trust needs NAME/],
      [['verify'], 'MISSING_ARGUMENT', /^verify needs NAME/],
      [['report'], 'MISSING_ARGUMENT', /^report needs MESSAGE_ID/],
      [['sealed-sender'], 'MISSING_ARGUMENT', /^sealed-sender needs on\|off/],
      [['send', 'bob', 'two', 'words'], 'EXTRA_ARGUMENT', /^send takes only NAME TEXT, and was given 3 \(quote a text with spaces\)$/],
      [['receive', 'now'], 'EXTRA_ARGUMENT', /^receive takes no arguments/],
      [['send', 'bob', 'x', '--wait', '3'], 'OPTION_NOT_FOR_COMMAND', /^--wait applies to receive only$/],
      [['receive', '--age-band', 'adult'], 'OPTION_NOT_FOR_COMMAND', /^--age-band applies to register only$/],
      [['receive', '--reason', 'spam'], 'OPTION_NOT_FOR_COMMAND', /^--reason applies to report only$/],
      [['receive', '--wait', 'soon'], 'BAD_VALUE', /^--wait takes a number of seconds, not "soon"$/],
      [['receive', '--wait=-1'], 'BAD_VALUE', /^--wait takes a number of seconds/],
      [['receive', '--wait='], 'BAD_VALUE', /^--wait takes a number of seconds/],
      [['register', 'al', '--age-band', '12'], 'BAD_VALUE', /^--age-band must be one of under-13, 13-15, 16-17, adult$/],
      [['report', ID, '--reason', 'boredom'], 'BAD_VALUE', /^--reason must be one of harassment, threat, spam, child-safety, other$/],
      [['report', 'not an id'], 'BAD_VALUE', /is not a message id/],
      [['sealed-sender', 'maybe'], 'BAD_VALUE', /^sealed-sender takes on or off, not "maybe"$/],
    ];
    for (const [argv, code, message] of cases) {
      const error = refusal(['--profile', 'p', ...argv]);
      expect(error.code, argv.join(' ')).toBe(code);
      expect(error.message, argv.join(' ')).toMatch(message);
    }
  });

  it('needs a profile, from --profile or ENVELOPE_PROFILE, and names it when missing', () => {
    for (const argv of [['receive'], ['--profile=', 'receive']]) {
      const error = refusal(argv);
      expect(error.code, argv.join(' ')).toBe('MISSING_PROFILE');
      expect(error.message).toMatch(/--profile DIR is required/);
    }
    expect(refusal(['--profile']).code).toBe('MISSING_VALUE');
  });
});
