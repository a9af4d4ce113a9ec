/**
 * Installs and loads Signal's own library, @signalapp/libsignal-client, so the
 * benchmark can compare our Double Ratchet against it in the same process.
 *
 * Why not a normal dependency: the package is about 151 MB (native builds for
 * several platforms) and only this optional benchmark needs it, so it must not
 * appear in the root package.json. It is installed on first use into the
 * git-ignored folder bench/.libsignal/ instead, and loaded from there.
 *
 * Why npm's output goes to stderr: the benchmark's stdout must be exactly one
 * JSON object, so nothing else may ever be written to stdout.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Pinned: the latest version `npm view @signalapp/libsignal-client version` reported. */
export const LIBSIGNAL_VERSION = '0.103.0';
const PACKAGE = '@signalapp/libsignal-client';

/** bench/.libsignal/, next to this file's folder (bench/libsignal/). */
export const LIBSIGNAL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '.libsignal');

/** The installed package.json; its presence (with the pinned version) means "installed". */
function installedVersion(): string | null {
  const pkgJson = join(LIBSIGNAL_DIR, 'node_modules', '@signalapp', 'libsignal-client', 'package.json');
  if (!existsSync(pkgJson)) return null;
  try {
    // createRequire reads JSON synchronously without involving the root project.
    const version = (createRequire(pkgJson)(pkgJson) as { version?: unknown }).version;
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

function install(): void {
  mkdirSync(LIBSIGNAL_DIR, { recursive: true });
  // A tiny package.json of its own, so `npm install --prefix` treats this folder
  // as a separate project and never walks up to (and edits) the root one.
  writeFileSync(
    join(LIBSIGNAL_DIR, 'package.json'),
    JSON.stringify({ name: 'libsignal-bench-deps', private: true, type: 'module' }, null, 2) + '\n',
  );
  const args = [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefix',
    LIBSIGNAL_DIR,
    `${PACKAGE}@${LIBSIGNAL_VERSION}`,
  ];
  process.stderr.write(`libsignal: installing ${PACKAGE}@${LIBSIGNAL_VERSION} into ${LIBSIGNAL_DIR}\n`);
  // stdio: stdin ignored, npm's stdout and stderr both sent to our stderr (fd 2).
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    stdio: ['ignore', 2, 2],
    shell: process.platform === 'win32',
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`npm install exited with status ${result.status ?? result.signal}`);
}

let cached: Promise<any | null> | undefined;

/**
 * The loaded @signalapp/libsignal-client module, installing it on first use;
 * null (with one line on stderr saying why) if it cannot be installed or loaded.
 * Later calls reuse the first result; a later process reuses the installed folder.
 */
export async function loadLibsignal(): Promise<any | null> {
  cached ??= (async () => {
    try {
      if (installedVersion() !== LIBSIGNAL_VERSION) install();
      if (installedVersion() !== LIBSIGNAL_VERSION) throw new Error('package missing after npm install');
      // Resolve the entry point from inside bench/.libsignal so Node's normal
      // resolution (the package's "exports") applies, then import it by URL.
      const entry = createRequire(join(LIBSIGNAL_DIR, 'package.json')).resolve(PACKAGE);
      return (await import(pathToFileURL(entry).href)) as unknown;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      process.stderr.write(`libsignal: unavailable, skipping (${why.split('\n')[0]})\n`);
      return null;
    }
  })();
  return cached;
}
