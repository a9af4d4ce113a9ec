/**
 * The build's dependency rules can fail: each forbidden import a reviewer tried
 * against the old regular-expression test is written into a scratch copy of
 * the sources, and both checks `npm run typecheck` runs (the TypeScript build
 * with project references, then dependency-cruiser) must refuse it, naming the
 * rule. The tree itself passes both (npm test's type-check step).
 *
 * A copy, not the work tree: the probes must never be left behind in the
 * product, and the build's outputs (.tsbuild/) stay untouched.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;
const BIN = join(ROOT, 'node_modules', '.bin');
const scratch: string[] = [];

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the packages with `probes` written over it (path → text). */
function copyWith(probes: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'envelope-build-rules-'));
  scratch.push(dir);
  for (const part of ['shared', 'server', 'client', 'build-rules', 'tsconfig.base.json', 'package.json']) {
    // Not a package's own node_modules (Vite's cache of the web app's dependencies, megabytes the checks never read).
    cpSync(join(ROOT, part), join(dir, part), { recursive: true, filter: (source) => !source.endsWith('/node_modules') });
  }
  // The installed modules, but the workspace packages linked to the copy, as npm links them to the tree.
  mkdirSync(join(dir, 'node_modules', '@envelope'), { recursive: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry !== '@envelope') symlinkSync(join(ROOT, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  const workspaces = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
  for (const folder of workspaces) {
    const { name } = JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8')) as { name: string };
    symlinkSync(join(dir, folder), join(dir, 'node_modules', name), 'dir');
  }
  for (const [path, text] of Object.entries(probes)) writeFileSync(join(dir, path), text);
  return dir;
}

/** `tsc -b` over the given projects in the copy: its whole output. */
function typescript(dir: string, projects: string[]): string {
  const run = spawnSync(join(BIN, 'tsc'), ['-b', ...projects.map((p) => `${p}/tsconfig.json`)], { cwd: dir, encoding: 'utf8' });
  return run.stdout + run.stderr;
}

/**
 * dependency-cruiser with the project's rules over the copy, from `folders` (all of the
 * product by default) and everything they import: the names of the rules broken, by source file.
 */
function cruise(dir: string, folders: readonly string[] = ['shared', 'server', 'client']): Map<string, Set<string>> {
  const run = spawnSync(
    join(BIN, 'depcruise'),
    ['--config', 'build-rules/dependency-rules.cjs', '--output-type', 'json', ...folders],
    { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const report = JSON.parse(run.stdout) as { summary: { violations: { from: string; rule: { name: string } }[] } };
  const broken = new Map<string, Set<string>>();
  for (const violation of report.summary.violations) {
    broken.set(violation.from, (broken.get(violation.from) ?? new Set()).add(violation.rule.name));
  }
  return broken;
}

/**
 * Whether tsc refused `file` in a project because `importer` pulled it in
 * (TS6307: the file is not listed in the project). tsc reports each such file
 * once, at its first import, and lists the other importers beneath.
 */
function refused(output: string, dir: string, importer: string, file: string): boolean {
  const diagnostics = output.split(/\n(?=\S)/);
  return diagnostics.some(
    (text) =>
      text.includes('error TS6307') &&
      text.includes(`'${join(dir, file)}'`) &&
      (text.startsWith(`${importer}(`) || text.includes(`from file '${join(dir, importer)}'`)),
  );
}

/**
 * The probes that only add files (a forbidden import each), the first and last tests' together:
 * one copy, one build of the projects they sit in (tsc -b goes on to the server when its
 * reference server/lawful-access has errors) and one cruise, made when a test first asks.
 */
let newFiles: { dir: string; compiled: string; broken: Map<string, Set<string>> } | undefined;
function newFilesCopy(): NonNullable<typeof newFiles> {
  if (newFiles) return newFiles;
  const dir = copyWith({
    'server/probe-direct.ts': "import { encryptMessage } from '@envelope/crypto';\nexport const probe = encryptMessage;\n",
    'server/probe-relative.ts': "import { decryptMessage } from '../shared/crypto/session.js';\nexport const probe = decryptMessage;\n",
    'server/probe-dynamic.ts':
      "export async function probe(): Promise<unknown> {\n  return (await import('@envelope/crypto')).decryptMessage;\n}\n",
    'server/probe-libsodium.ts': "import sodium from 'libsodium-wrappers-sumo';\nexport const probe = sodium;\n",
    'server/probe-accessor.ts': "import { sodium } from '../shared/crypto-public/libsodium.js';\nexport const probe = sodium;\n",
    'server/probe-client.ts': "import { EnvelopeClient } from '@envelope/client-core';\nexport const probe = EnvelopeClient;\n",
    'server/probe-testkit.ts': "import { startInProcess } from '@envelope/testkit/harness.js';\nexport const probe = startInProcess;\n",
    'shared/client/probe-ws.ts': "import { WebSocket } from 'ws';\nexport const probe = WebSocket;\n",
    'shared/client/probe-fs.ts': "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n",
    'server/domain/probe-lawful.ts': "import { contentLog } from '@envelope/lawful-access';\nexport const probe = contentLog;\n",
    'server/lawful-access/probe-crypto.ts': "import { decryptMessage } from '@envelope/crypto';\nexport const probe = decryptMessage;\n",
    'server/lawful-access/probe-server.ts': "import { ServerError } from '@envelope/server/errors.js';\nexport const probe = ServerError;\n",
  });
  newFiles = { dir, compiled: typescript(dir, ['server/lawful-access', 'server', 'shared/client']), broken: cruise(dir) };
  return newFiles;
}

describe('the build refuses what the server and browser code may not import', () => {
  it('refuses each forbidden import in a server file and each Node module in browser code', () => {
    const { dir, compiled, broken } = newFilesCopy();
    const cryptoIndex = 'shared/crypto/index.ts';
    expect(refused(compiled, dir, 'server/probe-direct.ts', cryptoIndex), compiled).toBe(true);
    expect(refused(compiled, dir, 'server/probe-relative.ts', 'shared/crypto/session.ts'), compiled).toBe(true);
    expect(refused(compiled, dir, 'server/probe-dynamic.ts', cryptoIndex), compiled).toBe(true);
    expect(refused(compiled, dir, 'server/probe-libsodium.ts', 'build-rules/forbidden/libsodium-in-the-server.ts'), compiled).toBe(true);
    expect(refused(compiled, dir, 'server/probe-client.ts', 'shared/client/index.ts'), compiled).toBe(true);
    expect(refused(compiled, dir, 'server/probe-testkit.ts', 'shared/testkit/harness.ts'), compiled).toBe(true);
    expect(refused(compiled, dir, 'shared/client/probe-ws.ts', 'build-rules/forbidden/node-only-module-in-browser-code.ts'), compiled).toBe(true);
    expect(compiled).toMatch(/^shared\/client\/probe-fs\.ts\(\d+,\d+\): error TS2307: Cannot find module 'node:fs'/m);
    // A relative import of crypto-public's libsodium.ts reaches a file of a package the server may use:
    // the compiler allows it, and the dependency rules below refuse it.

    expect(broken.get('server/probe-direct.ts')).toContain('server-cannot-decrypt');
    expect(broken.get('server/probe-relative.ts')).toContain('server-cannot-decrypt');
    expect(broken.get('server/probe-relative.ts')).toContain('packages-import-packages-by-name');
    expect(broken.get('server/probe-dynamic.ts')).toContain('server-cannot-decrypt');
    expect(broken.get('server/probe-libsodium.ts')).toContain('server-holds-no-libsodium');
    expect(broken.get('server/probe-accessor.ts')).toContain('server-holds-no-libsodium');
    expect(broken.get('server/probe-accessor.ts')).toContain('libsodium-stays-inside-crypto-public');
    expect(broken.get('server/probe-client.ts')).toContain('server-cannot-decrypt');
    expect(broken.get('server/probe-testkit.ts')).toContain('product-code-uses-no-test-support');
    expect(broken.get('shared/client/probe-ws.ts')).toContain('browser-code-uses-no-node-modules');
    expect(broken.get('shared/client/probe-fs.ts')).toContain('browser-code-uses-no-node-builtins');
    // Nothing else in the copy breaks a rule: the probes are the only offenders.
    expect([...broken.keys()].filter((file) => !file.includes('probe-'))).toEqual([]);
  });

  it('refuses a re-export of the decrypting core through a package the server may use', () => {
    const protocolIndex = readFileSync(join(ROOT, 'shared/protocol/index.ts'), 'utf8');
    const dir = copyWith({
      'shared/protocol/probe-reexport.ts': "export { decryptMessage } from '@envelope/crypto';\n",
      'shared/protocol/index.ts': `${protocolIndex}export * from './probe-reexport.js';\n`,
      'server/probe-via-protocol.ts': "import { decryptMessage } from '@envelope/protocol';\nexport const probe = decryptMessage;\n",
    });
    // The refusal is protocol's own project's (the server's build reports the same, building protocol as its reference).
    const compiled = typescript(dir, ['shared/protocol']);
    expect(refused(compiled, dir, 'shared/protocol/probe-reexport.ts', 'shared/crypto/index.ts'), compiled).toBe(true);
    // The server may import @envelope/protocol, but through it reaches the decrypting core.
    expect(cruise(dir, ['server']).get('server/probe-via-protocol.ts')).toContain('server-cannot-decrypt');
  });

  it("refuses libsodium handed out through crypto-public's own index", () => {
    const publicIndex = readFileSync(join(ROOT, 'shared/crypto-public/index.ts'), 'utf8');
    const dir = copyWith({ 'shared/crypto-public/index.ts': `${publicIndex}export { sodium } from './libsodium.js';\n` });
    const compiled = typescript(dir, ['shared/crypto-public']);
    // shared/crypto-public/surface-check.ts names the export that hands the library out.
    expect(compiled).toMatch(/^shared\/crypto-public\/surface-check\.ts\(\d+,\d+\): error TS2322: .*libsodiumHandedOutBy: "sodium"/m);
  });

  it('keeps the lawful-access exception apart: only app.ts wires it in, and it never reaches the decrypting core or the rest of the server', () => {
    const { dir, compiled, broken } = newFilesCopy();
    // The exception's project does not reference the decrypting core: the compiler refuses it.
    expect(refused(compiled, dir, 'server/lawful-access/probe-crypto.ts', 'shared/crypto/index.ts'), compiled).toBe(true);

    // The server's project references the exception (for app.ts), so only the dependency rules can refuse another server file.
    expect(broken.get('server/domain/probe-lawful.ts')).toContain('only-the-composition-root-wires-lawful-access');
    expect(broken.get('server/lawful-access/probe-crypto.ts')).toContain('lawful-access-opens-only-what-a-mode-makes-readable');
    expect(broken.get('server/lawful-access/probe-server.ts')).toContain('lawful-access-stands-apart-from-the-server');
    // app.ts itself wires it in and breaks no rule (nothing but the probes does: the first test checks).
  });
});
