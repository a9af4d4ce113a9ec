import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '@envelope/testkit/harness.js';
import { isBuildStale } from './build.js';

/** A checkout-like tree: sources under client/web and shared, a build under dist/web, with set times (seconds). */
function tree(times: { index?: number; client: number; shared: number }) {
  const root = tempDataDir();
  const file = (path: string, seconds: number) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), 'x');
    utimesSync(join(root, path), seconds, seconds);
  };
  file('client/web/src/deep/App.tsx', times.client);
  file('shared/protocol/ws.ts', times.shared);
  if (times.index !== undefined) file('dist/web/index.html', times.index);
  return { out: join(root, 'dist/web'), sources: [join(root, 'client/web'), join(root, 'shared')] };
}

describe('is the web build stale', () => {
  it('is stale when there is no build', () => {
    const { out, sources } = tree({ client: 1000, shared: 1000 });
    expect(isBuildStale(out, sources)).toBe(true);
  });

  it('is fresh when the build is newer than every source', () => {
    const { out, sources } = tree({ index: 2000, client: 1000, shared: 1500 });
    expect(isBuildStale(out, sources)).toBe(false);
  });

  it('is stale when any file under any source folder is newer, however deep', () => {
    expect(isBuildStale(...Object.values(tree({ index: 2000, client: 2500, shared: 1000 })) as [string, string[]])).toBe(true);
    expect(isBuildStale(...Object.values(tree({ index: 2000, client: 1000, shared: 2001 })) as [string, string[]])).toBe(true);
  });

  it('ignores node_modules inside a source folder', () => {
    const { out, sources } = tree({ index: 2000, client: 1000, shared: 1000 });
    mkdirSync(join(sources[0]!, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(sources[0]!, 'node_modules', 'x', 'index.js'), 'x');
    expect(isBuildStale(out, sources)).toBe(false);
  });
});
