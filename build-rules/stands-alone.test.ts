/**
 * The repository stands alone: whoever picks it up has only what is in it. The
 * design notes and the reporting the product answers were written from
 * material kept beside the working copy during development; the product cites
 * the original publications (README, docs/, client/web/src/ui/sources.ts) and
 * must never point at that outside folder. This test reads every tracked file.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;

/** Paths into the development-time folder beside the repository. */
const OUTSIDE = /\.\.\/shared\/(context|DESIGN\.md|STYLE\.md)|shared\/context\//;

/** Files tracked by git (the fresh clone CI tests), read as text. */
function trackedFiles(): string[] {
  const listed = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout.split('\0').filter((path) => path !== '' && !path.endsWith('.png') && !path.endsWith('package-lock.json'));
}

export function pointersOutside(paths: readonly string[], read: (path: string) => string): string[] {
  const found: string[] = [];
  for (const path of paths) {
    read(path)
      .split('\n')
      .forEach((line, index) => {
        if (OUTSIDE.test(line)) found.push(`${path}:${index + 1}: ${line.trim()}`);
      });
  }
  return found;
}

describe('the repository stands alone', () => {
  it('finds a pointer outside the repository when one is written', () => {
    // Built from parts, so this file does not itself hold the pointer it looks for.
    const pointer = ['..', 'shared', 'context', 'README.md'].join('/');
    const probe = { 'a.ts': `ok\n// see ${pointer}\n`, 'b.md': 'nothing here, ../shared/crypto is a package path' };
    expect(pointersOutside(Object.keys(probe), (path) => probe[path as keyof typeof probe])).toEqual([`a.ts:2: // see ${pointer}`]);
  });

  it('no tracked file points at the development-time folder beside the repository', () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(pointersOutside(files, (path) => readFileSync(join(ROOT, path), 'utf8'))).toEqual([]);
  });
});
