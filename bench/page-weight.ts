/**
 * What each page downloads: `npx tsx bench/page-weight.ts` starts the real
 * server as `npm start` does (building the web app if it is stale), opens `/`,
 * `/operator` and `/agency` in a fresh Chromium profile each (nothing cached),
 * waits for the page's heading and for every script, style sheet and other
 * file it started to fetch (the operator's live stream never ends, so "network
 * idle" never comes), and prints every finished response with the bytes
 * that crossed the wire (headers excluded, body as encoded) and the bytes it
 * decodes to. `--json` prints the same as JSON.
 *
 * A cold first visit is what every device in a classroom pays once over the
 * room's Wi-Fi; it is the figure the README quotes.
 */
import { chromium, type Request } from '@playwright/test';
import { existsSync } from 'node:fs';
import { startProcess } from '@envelope/testkit/harness.js';

interface Resource {
  path: string;
  encoding: string;
  transferBytes: number;
  decodedBytes: number;
}

/** What a page downloads to show itself (not its API calls, which answer with data). */
const FILE_TYPES = new Set(['document', 'script', 'stylesheet', 'image', 'font', 'manifest']);
const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

async function measure(baseUrl: string, path: string): Promise<Resource[]> {
  const browser = await chromium.launch({ ...(CHROMIUM ? { executablePath: CHROMIUM } : {}), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    const finished: Promise<Resource | undefined>[] = [];
    const record = (request: Request) => {
      finished.push(
        (async () => {
          const response = await request.response();
          if (!response || request.url().startsWith('data:')) return undefined;
          const sizes = await request.sizes();
          const body = await response.body().catch(() => Buffer.alloc(0));
          return {
            path: new URL(request.url()).pathname,
            encoding: (await response.headerValue('content-encoding')) ?? 'identity',
            transferBytes: sizes.responseBodySize,
            decodedBytes: body.length,
          };
        })().catch(() => undefined), // a response still arriving when the browser closes
      );
    };
    page.on('requestfinished', record);
    const pending = new Set<Request>();
    let settle = () => {};
    const drained = () => pending.size === 0 && settle();
    page.on('request', (request) => FILE_TYPES.has(request.resourceType()) && pending.add(request));
    page.on('requestfinished', (request) => pending.delete(request) && drained());
    page.on('requestfailed', (request) => pending.delete(request) && drained());
    await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await new Promise<void>((resolve) => {
      settle = resolve;
      drained();
    });
    page.off('requestfinished', record);
    return (await Promise.all(finished)).filter((resource): resource is Resource => resource !== undefined);
  } finally {
    await browser.close();
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`.padStart(10);

async function main(): Promise<void> {
  const server = await startProcess(undefined, { SKIP_WEB_BUILD: '0' });
  try {
    const output = server.output();
    const agencyToken = output.match(/agency page: \S+#token=(\S+)/)?.[1] ?? '';
    const pages = { '/': '/', '/operator': `/operator#token=${server.operatorToken}`, '/agency': `/agency#token=${agencyToken}` };
    const results: Record<string, Resource[]> = {};
    for (const [name, path] of Object.entries(pages)) results[name] = await measure(server.url, path);
    if (process.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      return;
    }
    for (const [name, resources] of Object.entries(results)) {
      process.stdout.write(`\n${name}\n`);
      for (const r of resources) process.stdout.write(`  ${kb(r.transferBytes)} ${kb(r.decodedBytes)}  ${r.encoding.padEnd(8)} ${r.path}\n`);
      const files = resources.filter((r) => !r.path.startsWith('/api/'));
      const transfer = files.reduce((sum, r) => sum + r.transferBytes, 0);
      const decoded = files.reduce((sum, r) => sum + r.decodedBytes, 0);
      process.stdout.write(`  ${kb(transfer)} ${kb(decoded)}  the page's files (transferred, decoded): ${files.length}, API answers left out\n`);
    }
  } finally {
    await server.kill('SIGTERM');
  }
}

main().catch((error: Error) => {
  process.stderr.write(`page-weight: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
