/**
 * `npm start`: one process on one port serving the API and the relay, with its
 * data in DATA_DIR. Prints where it listens and the operator token.
 */
import { loadConfig } from './config.js';
import { createEnvelopeServer } from './app.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    log(`envelope: ${(error as Error).message}`);
    process.exit(2);
  }
  const server = await createEnvelopeServer(config, log);
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
  // The operator web page comes with the web app; until then the API shows what the server holds.
  process.stdout.write(`operator API: curl -H 'Authorization: Bearer ${server.operatorToken}' ${url}/api/operator/envelopes\n`);
  process.stdout.write(`data: ${server.databasePath}\n`);
  if (config.host === '127.0.0.1' || config.host === 'localhost') {
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
