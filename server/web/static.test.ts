import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, tempDataDir } from '@envelope/testkit/harness.js';
import { NOT_BUILT_HINT } from './static.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
const INDEX = '<!doctype html><title>Envelope</title><div id="root"></div>';

beforeAll(async () => {
  const webDir = tempDataDir();
  mkdirSync(join(webDir, 'assets'));
  writeFileSync(join(webDir, 'index.html'), INDEX);
  writeFileSync(join(webDir, 'assets', 'index-AbC123.js'), 'console.log(1)');
  writeFileSync(join(webDir, 'favicon.svg'), '<svg/>');
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
