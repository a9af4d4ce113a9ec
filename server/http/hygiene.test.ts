/**
 * HTTP hygiene against the real in-process server: security headers on pages
 * and API answers, a compressed or garbled body refused with a 4xx (a gzip
 * body that does not inflate used to reach the error handler as a 500), and
 * DATA_DIR, the SQLite files and the secrets file readable by the server's
 * user only.
 */
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';
import { postJson, register, startInProcess, tempDataDir } from '@envelope/testkit/harness.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
let dataDir: string;

beforeAll(async () => {
  const webDir = tempDataDir();
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Envelope</title>');
  // A DATA_DIR that does not exist yet: the server makes it.
  dataDir = join(tempDataDir(), 'data');
  env = await startInProcess({ webDir }, { DATA_DIR: dataDir });
});
afterAll(() => env.close());

const mode = (path: string) => statSync(path).mode & 0o777;

describe('security headers', () => {
  it('are on pages, API answers, errors and 404s', async () => {
    for (const path of ['/', '/operator', '/healthz', '/api/operator/accounts', '/api/nothing-here', '/missing.png']) {
      const response = await fetch(`${env.url}${path}`);
      expect(response.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('refuse framing and allow no inline script or eval beyond WebAssembly', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d] as const));
    expect(directives.get('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directives.get('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-inline'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
  });
});

describe('request bodies', () => {
  const post = (headers: Record<string, string>, body: string | Buffer<ArrayBuffer>) =>
    fetch(`${env.url}/api/auth/challenge`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('a bogus or garbled Content-Encoding is a 4xx problem, never a 500, and the server keeps answering', async () => {
    for (const encoding of ['gzip', 'deflate', 'br', 'bogus', 'gzip, bogus']) {
      const response = await post({ 'content-encoding': encoding }, 'not compressed at all');
      expect(response.status, encoding).toBe(400);
      const problem = await response.json();
      expect(problem.code, encoding).toBe('BAD_REQUEST');
      expect(problem.detail, encoding).toContain('Content-Encoding');
    }
    // Even a body that would inflate to valid JSON: no client compresses, so nothing is inflated.
    const gzipped = await post({ 'content-encoding': 'gzip' }, gzipSync(JSON.stringify({})));
    expect(gzipped.status).toBe(400);
    expect(env.logs.filter((line) => line.includes('unexpected error'))).toEqual([]);
    expect((await postJson(`${env.url}/api/auth/challenge`, {})).status).toBe(200);
  });
});

describe('files on disk', () => {
  it('DATA_DIR is 0700; the database, its WAL and shared-memory files and the secrets file are 0600', async () => {
    await register(env.url, 'alice'); // writes through the WAL
    expect(mode(dataDir)).toBe(0o700);
    for (const file of ['envelope.sqlite', 'envelope.sqlite-wal', 'envelope.sqlite-shm', 'server-secrets.json']) {
      expect(mode(join(dataDir, file)), file).toBe(0o600);
    }
  });

  it('tightens a DATA_DIR and files an older version left readable by others', async () => {
    const loose = join(tempDataDir(), 'loose');
    mkdirSync(loose, { mode: 0o755 });
    chmodSync(loose, 0o755);
    const first = await startInProcess({}, { DATA_DIR: loose });
    await first.close();
    for (const file of ['envelope.sqlite', 'server-secrets.json']) chmodSync(join(loose, file), 0o644);
    chmodSync(loose, 0o755);
    const second = await startInProcess({}, { DATA_DIR: loose });
    try {
      expect(mode(loose)).toBe(0o700);
      for (const file of ['envelope.sqlite', 'server-secrets.json']) expect(mode(join(loose, file)), file).toBe(0o600);
    } finally {
      await second.close();
    }
  });
});
