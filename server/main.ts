/**
 * `npm start`: one process on one port serving the web app, the API and the
 * relay, with its data in DATA_DIR. Builds the web app first if its build is
 * missing or stale. Prints where it listens, the operator page's link and the
 * agency page's, each with its own token (the token rides in the fragment,
 * which browsers never send, so it stays out of logs), and, on a network, the
 * addresses people can join at.
 */
import { networkInterfaces } from 'node:os';
import { POLICY_WORDS } from '@envelope/protocol';
import { loadConfig, REPO_ROOT } from './config.js';
import { createEnvelopeServer } from './app.js';
import { ensureWebBuild } from './web/build.js';
import { isWildcardHost, joinInfo } from './web/join.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    log(`envelope: ${(error as Error).message}`);
    process.exit(2);
  }
  try {
    // Test and benchmark harnesses start many servers and need no page: they set SKIP_WEB_BUILD=1.
    if (process.env.SKIP_WEB_BUILD !== '1') await ensureWebBuild(REPO_ROOT, log);
  } catch (error) {
    // The API and the CLI work without the page; say so rather than refuse to start.
    log(`envelope: could not build the web app (${(error as Error).message}); serving the API only`);
  }
  let server;
  try {
    server = await createEnvelopeServer(config, log);
  } catch (error) {
    // E.g. a policy mode stored by a newer version: say what is wrong, rather than a stack trace.
    log(`envelope: cannot start: ${(error as Error).message}`);
    process.exit(2);
  }
  let url: string;
  try {
    url = await server.listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    log(
      code === 'EADDRINUSE'
        ? `envelope: port ${config.port} is in use: stop the other program or set PORT to another number`
        : `envelope: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
    );
    process.exit(1);
  }
  process.stdout.write(`listening on ${url}\n`);
  process.stdout.write(`operator token: ${server.operatorToken}\n`);
  const port = Number(new URL(url).port);
  const join = joinInfo(config.host, port, networkInterfaces);
  // Bound to every interface, the page opens on this computer at localhost (browsers refuse 0.0.0.0).
  const local = join.network && isWildcardHost(config.host) ? `http://localhost:${port}` : url;
  process.stdout.write(`operator page: ${local}/operator#token=${server.operatorToken}\n`);
  process.stdout.write(`agency page: ${local}/agency#token=${server.agencyToken}\n`);
  // The guided lesson's presenter panel ticks its steps from the operator's live stream: the operator's token.
  process.stdout.write(`lesson page: ${local}/lesson#token=${server.operatorToken} (handout: ${local}/lesson/handout)\n`);
  process.stdout.write(`data: ${server.databasePath}\n`);
  const mode = server.policy.mode;
  process.stdout.write(`policy mode: ${mode}: ${POLICY_WORDS[mode].banner}\n`);
  if (join.network) {
    process.stdout.write(`others on this network can join at: ${join.urls.join('  ')}\n`);
  } else {
    process.stdout.write('only this computer can connect; set HOST=0.0.0.0 to let others on the network join\n');
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log(`envelope: ${signal}: closing`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
