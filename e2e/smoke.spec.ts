import { expect, test } from './fixtures.js';

test('the server answers health checks and serves a page', async ({ page, server }) => {
  const health = await page.request.get(`${server.url}/healthz`);
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true });
});
