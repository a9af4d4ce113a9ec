import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.js';

describe('CLI arguments', () => {
  it('takes options before or after the command, in both spellings', () => {
    const a = parseArgs(['--server', 'http://h:1', '--profile', 'p', 'send', 'bob', 'hello there']);
    const b = parseArgs(['send', 'bob', 'hello there', '--profile=p', '--server=http://h:1']);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ command: 'send', positionals: ['bob', 'hello there'], server: 'http://h:1', profile: 'p' });
  });

  it('reads --wait for receive, and the environment for defaults', () => {
    expect(parseArgs(['receive', '--wait', '2.5'], { ENVELOPE_PROFILE: 'env-p', ENVELOPE_SERVER: 'http://e' })).toMatchObject({
      command: 'receive',
      waitSeconds: 2.5,
      profile: 'env-p',
      server: 'http://e',
    });
  });

  it('takes its patience with the server from ENVELOPE_PATIENCE, in seconds, and refuses nonsense', () => {
    expect(parseArgs(['--profile', 'p', 'receive']).patienceMs).toBe(10_000);
    expect(parseArgs(['--profile', 'p', 'receive'], { ENVELOPE_PATIENCE: '90' }).patienceMs).toBe(90_000);
    for (const bad of ['0', '-1', 'soon', 'Infinity']) {
      expect(() => parseArgs(['--profile', 'p', 'receive'], { ENVELOPE_PATIENCE: bad }), bad).toThrow(UsageError);
    }
  });

  it('a text that starts with -- can follow --', () => {
    expect(parseArgs(['--profile', 'p', 'send', 'bob', '--', '--not an option']).positionals).toEqual(['bob', '--not an option']);
  });

  it('refuses what it does not understand, with a UsageError', () => {
    const bad = [
      [],
      ['--profile', 'p'],
      ['--profile', 'p', 'dance'],
      ['--profile', 'p', 'send', 'bob'],
      ['--profile', 'p', 'send', 'bob', 'two', 'words'],
      ['--profile', 'p', 'receive', '--wait', 'soon'],
      ['--profile', 'p', 'send', 'bob', 'x', '--wait', '3'],
      ['--profile', 'p', 'receive', '--colour', 'red'],
      ['--profile'],
      ['receive'],
    ];
    for (const argv of bad) expect(() => parseArgs(argv), argv.join(' ')).toThrow(UsageError);
  });
});
