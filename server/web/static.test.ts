import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, tempDataDir } from '@envelope/testkit/harness.js';
import { CONTENT_SECURITY_POLICY } from '../http/security-headers.js';
import { MIN_BYTES, precompressDir } from './precompress.js';
import { NOT_BUILT_HINT } from './static.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
const INDEX = '<!doctype html><title>Envelope</title><div id="root"></div>';
/** A script big enough to be precompressed, as the build's chunks are. */
const BIG_SCRIPT = Array.from({ length: 400 }, (_, i) => `export const value${i} = 'a line of the built app number ${i}';`).join('\n');
let webDir: string;

beforeAll(async () => {
  webDir = tempDataDir();
  mkdirSync(join(webDir, 'assets'));
  writeFileSync(join(webDir, 'index.html'), INDEX);
  writeFileSync(join(webDir, 'assets', 'index-AbC123.js'), 'console.log(1)');
  writeFileSync(join(webDir, 'assets', 'app-XyZ789.js'), BIG_SCRIPT);
  writeFileSync(join(webDir, 'favicon.svg'), '<svg/>');
  precompressDir(webDir); // what the build's last step does (vite.config.ts)
  env = await startInProcess({ webDir });
});
afterAll(() => env.close());

describe('serving the web app', () => {
  it('answers app routes with index.html, never cached', async () => {
    for (const path of ['/', '/operator', '/chat/alice']) {
      const response = await fetch(`${env.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(INDEX);
    }
  });

  it('serves hashed assets with a long cache, other files plainly, and 404s missing files', async () => {
    const asset = await fetch(`${env.url}/assets/index-AbC123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
    expect(await asset.text()).toBe('console.log(1)');
    expect((await fetch(`${env.url}/favicon.svg`)).status).toBe(200);
    expect((await fetch(`${env.url}/assets/gone-123.js`)).status).toBe(404);
    expect((await fetch(`${env.url}/missing.png`)).status).toBe(404);
  });

  it('leaves the API alone: unknown API paths stay problem JSON, health checks work', async () => {
    const response = await fetch(`${env.url}/api/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${env.url}/healthz`)).headers.get('content-type')).toMatch(/json/);
  });

  it('without a build, / says how to get one', async () => {
    const bare = await startInProcess({ webDir: join(tempDataDir(), 'absent') });
    try {
      const response = await fetch(`${bare.url}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toBe(NOT_BUILT_HINT);
    } finally {
      await bare.close();
    }
  });
});

/** A GET with exactly the Accept-Encoding given (fetch would add its own and decode the body). */
function rawGet(url: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serving the web app compressed', () => {
  const asset = () => `${env.url}/assets/app-XyZ789.js`;

  it('the build step writes brotli and gzip copies of large files only', () => {
    expect(BIG_SCRIPT.length).toBeGreaterThan(MIN_BYTES);
    expect(existsSync(join(webDir, 'assets', 'app-XyZ789.js.br'))).toBe(true);
    expect(existsSync(join(webDir, 'assets', 'app-XyZ789.js.gz'))).toBe(true);
    expect(existsSync(join(webDir, 'assets', 'index-AbC123.js.br'))).toBe(false);
  });

  it('sends brotli to a browser that accepts it, with the right type, Vary, long cache and security headers', async () => {
    const response = await rawGet(asset(), 'gzip, deflate, br, zstd');
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['vary']).toMatch(/accept-encoding/i);
    expect(response.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(response.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(response.body.length).toBeLessThan(BIG_SCRIPT.length / 4);
    expect(brotliDecompressSync(response.body).toString()).toBe(BIG_SCRIPT);
  });

  it('sends gzip when that is all the browser accepts (or brotli is refused with q=0)', async () => {
    for (const accept of ['gzip', 'br;q=0, gzip']) {
      const response = await rawGet(asset(), accept);
      expect(response.headers['content-encoding'], accept).toBe('gzip');
      expect(response.headers['vary']).toMatch(/accept-encoding/i);
      expect(gunzipSync(response.body).toString()).toBe(BIG_SCRIPT);
    }
  });

  it('sends the plain file, still with Vary, to a client that asks for no encoding or refuses both', async () => {
    for (const accept of [undefined, 'identity', 'br;q=0, gzip;q=0', 'deflate']) {
      const response = await rawGet(asset(), accept);
      expect(response.status, String(accept)).toBe(200);
      expect(response.headers['content-encoding'], String(accept)).toBeUndefined();
      expect(response.headers['vary'], String(accept)).toMatch(/accept-encoding/i);
      expect(response.body.toString()).toBe(BIG_SCRIPT);
    }
  });

  it('a small file with no compressed copy is sent plainly, and a compressed copy is never reached around the check', async () => {
    const small = await rawGet(`${env.url}/assets/index-AbC123.js`, 'br, gzip');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString()).toBe('console.log(1)');
    expect((await rawGet(`${env.url}/assets/..%2Findex.html`, 'br')).headers['content-encoding']).toBeUndefined();
    expect((await rawGet(`${env.url}/assets/gone-123.js`, 'br')).status).toBe(404);
  });
});
