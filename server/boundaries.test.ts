/**
 * The product's thesis, kept visible in the code (DESIGN.md "The parts"): the
 * server verifies signatures and stores bytes; it never imports anything that
 * can decrypt a message. Only these shared/crypto modules may be imported.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER = new URL('.', import.meta.url).pathname;
const ALLOWED_CRYPTO = new Set(['bytes', 'constants', 'errors', 'signatures', 'sodium', 'franking', 'sender-certificate']);
/** Test support may build real clients to talk to the server; it is not the server. */
const TEST_ONLY = (file: string) => file.endsWith('.test.ts') || file.includes(`${join('server', 'testing')}`);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('server boundary', () => {
  it('imports from shared/crypto only what cannot decrypt', () => {
    const offences: string[] = [];
    for (const file of files(SERVER).filter((f) => !TEST_ONLY(f))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)) {
        const target = resolve(file, '..', match[1]!);
        const rel = relative(resolve(SERVER, '..', 'shared', 'crypto'), target);
        if (rel.startsWith('..')) continue;
        const module = rel.replace(/\.js$/, '');
        if (!ALLOWED_CRYPTO.has(module)) offences.push(`${relative(SERVER, file)} imports shared/crypto/${module}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('imports no client code', () => {
    const offences = files(SERVER)
      .filter((f) => !TEST_ONLY(f))
      .filter((f) => /from\s+['"][^'"]*(shared\/client|client\/)/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SERVER, f));
    expect(offences).toEqual([]);
  });
});
