/**
 * shared/ runs unchanged in the browser and in Node (DESIGN.md "The parts"):
 * its product code may not import Node built-ins. Tests may (they run in Node).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('.', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('shared/ boundary', () => {
  it('imports no Node built-ins (it must run in the browser)', () => {
    const offenders = sourceFiles(root).filter((file) =>
      /from\s+['"](node:|fs['"]|path['"]|crypto['"]|os['"]|child_process['"])|require\(/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(root, file))).toEqual([]);
  });
});
