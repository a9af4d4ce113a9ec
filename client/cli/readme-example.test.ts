/**
 * The README's terminal example is what a new user runs first, often on the
 * server the class is using in the browser. Its names must not be ones the
 * browser lesson uses (alice, bob: a name is taken once per server), and the
 * profile folders it makes hold private keys, so git must ignore them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The personas the browser lesson and its steps use (e2e/, README "The lesson"). */
const BROWSER_PERSONAS = ['alice', 'bob', 'carol', 'dave', 'eve', 'mallory'];

function exampleCommands(): string[] {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  return readme.split('\n').filter((line) => line.startsWith('npm run --silent cli -- ') && line.includes('--profile '));
}

describe("the README's CLI example", () => {
  it('registers names no browser persona uses', () => {
    const registered = exampleCommands().flatMap((line) => [...line.matchAll(/ register (\S+)/g)].map((match) => match[1]!));
    expect(registered.length).toBeGreaterThan(0);
    for (const name of registered) expect(BROWSER_PERSONAS).not.toContain(name);
  });

  it('keeps its profiles in folders git ignores', () => {
    const profiles = new Set(exampleCommands().map((line) => /--profile (\S+)/.exec(line)![1]!));
    expect(profiles.size).toBeGreaterThan(0);
    for (const profile of profiles) {
      // Exit code 0 means ignored; 1 (not ignored) makes execFileSync throw.
      const rule = execFileSync('git', ['check-ignore', '--no-index', '-v', `${profile}/profile.json`], { cwd: ROOT, encoding: 'utf8' });
      expect(rule).toContain('.gitignore');
    }
  });
});
