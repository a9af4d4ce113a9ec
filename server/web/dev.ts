/**
 * `npm run dev`: the API server on PORT (default 3000) and Vite's dev server
 * with hot reload in front of it (vite.config.ts proxies /api, the relay
 * socket and /healthz to PORT). Open the Vite URL; edits to client/web show at
 * once. For developers: `npm start` is what a classroom runs.
 */
import { createServer } from 'vite';
import { createEnvelopeServer } from '../app.js';
import { loadConfig, REPO_ROOT } from '../config.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.port === 0) throw new Error('PORT must be a fixed number in dev mode: Vite proxies the API to it');
  const api = await createEnvelopeServer(config, log);
  const apiUrl = await api.listen();
  const vite = await createServer({ configFile: `${REPO_ROOT}vite.config.ts`, server: { host: config.host === '0.0.0.0' ? true : undefined } });
  await vite.listen();
  const appUrl = vite.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? 'http://localhost:5173';
  process.stdout.write(`API server: ${apiUrl}\n`);
  process.stdout.write(`web app with hot reload: ${appUrl}\n`);
  for (const url of vite.resolvedUrls?.network ?? []) process.stdout.write(`  on the network: ${url}\n`);
  process.stdout.write(`operator token: ${api.operatorToken}\n`);
  process.stdout.write(`operator page: ${appUrl}/operator#token=${api.operatorToken}\n`);

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    Promise.all([vite.close(), api.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: Error) => {
  log(`envelope dev: ${error.message}`);
  process.exit(1);
});
