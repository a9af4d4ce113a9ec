/**
 * `npm start` serves the built web app (dist/web). It builds it first when the
 * build is missing or older than any source it comes from (client/web/ and
 * shared/), so a fresh checkout or an edited file never serves a stale page.
 * Staleness compares modification times, as make does.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Folders never part of the app's sources (dependencies, test output). */
const IGNORED_DIRS = new Set(['node_modules', '.git', 'test-results']);

/** The newest modification time (ms) of any file under `dir`, or 0 if there is none. */
export function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (IGNORED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : entry.isFile() ? statSync(path).mtimeMs : 0;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** True when `outDir/index.html` is missing or older than a file under any of `sourceDirs`. */
export function isBuildStale(outDir: string, sourceDirs: readonly string[]): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return sourceDirs.some((dir) => newestMtime(dir) > built);
}

/** Builds the app with vite.config.ts when stale; returns whether it built. Vite loads only if needed. */
export async function ensureWebBuild(repoRoot: string, log: (line: string) => void): Promise<boolean> {
  const outDir = join(repoRoot, 'dist', 'web');
  if (!isBuildStale(outDir, [join(repoRoot, 'client', 'web'), join(repoRoot, 'shared')])) return false;
  log('envelope: building the web app (dist/web is missing or older than its sources)…');
  const { build } = await import('vite');
  await build({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}
