/**
 * envelope: a scriptable terminal client, a thin shell over shared/client.
 *
 *   npx tsx client/cli/main.ts --server http://127.0.0.1:3000 --profile ./alice register alice
 *
 * stdout: one JSON object per line, for scripts. stderr: lines for people.
 * Exit code 0 on success; otherwise one stderr line and a code from report.ts.
 * ENVELOPE_DEBUG=1 also traces the connection on stderr.
 */
import { mkdir } from 'node:fs/promises';
import WebSocket from 'ws';
import { EnvelopeClient } from '@envelope/client-core';
import { parseArgs, USAGE } from './args.js';
import { COMMAND_HANDLERS } from './commands.js';
import { FileStore } from './file-store.js';
import { lockProfile } from './profile-lock.js';
import { describeFailure, EXIT } from './report.js';

/** How long a command waits for another one using the same profile. */
const PROFILE_LOCK_WAIT_MS = 5_000;
/** After the work is done, the process must end even if some handle lingers. */
const EXIT_GRACE_MS = 3_000;

async function run(argv: readonly string[]): Promise<number> {
  const dashDash = argv.indexOf('--');
  if (argv.length === 0 || argv.slice(0, dashDash === -1 ? undefined : dashDash).includes('--help')) {
    process.stderr.write(`${USAGE}\n`);
    return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
  }
  const args = parseArgs(argv, process.env);
  await mkdir(args.profile, { recursive: true, mode: 0o700 });
  const release = await lockProfile(args.profile, PROFILE_LOCK_WAIT_MS);
  let client: EnvelopeClient | undefined;
  try {
    const store = await FileStore.open(args.profile);
    client = await EnvelopeClient.open({ store, WebSocket, ...(args.server ? { serverUrl: args.server } : {}) });
    if (process.env.ENVELOPE_DEBUG) traceConnection(client);
    await COMMAND_HANDLERS[args.command]({ client, args, serverUrl: client.serverUrl });
    return EXIT.OK;
  } finally {
    await client?.close();
    await release();
  }
}

run(process.argv.slice(2)).then(
  (code) => exit(code),
  (error: unknown) => {
    const { line, exitCode } = describeFailure(error);
    process.stderr.write(`envelope: ${line}\n`);
    exit(exitCode);
  },
);

/** ENVELOPE_DEBUG=1: connection states and background errors on stderr (codes and reasons only, never content). */
function traceConnection(client: EnvelopeClient): void {
  client.events.on('status', (status) => process.stderr.write(`envelope: [debug] connection ${status}\n`));
  client.events.on('error', (error) => process.stderr.write(`envelope: [debug] ${error.code}: ${error.message}\n`));
}

function exit(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}
