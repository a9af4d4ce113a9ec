/**
 * One envelope command from start to finish: parse the command line, take the
 * profile's lock, open the profile and the client, run the command, print its
 * lines, and turn any failure into one stderr line and an exit code.
 *
 * main.ts runs it on the process's own arguments and streams, then exits; the
 * integration tests run this same function in-process (shared/testkit/cli.ts)
 * for most commands, as starting a Node process per command was most of their
 * time, and keep a few that start the real process.
 */
import { mkdir } from 'node:fs/promises';
import WebSocket from 'ws';
import { EnvelopeClient, type EnvelopeClientOptions } from '@envelope/client-core';
import { parseCommandLine, USAGE, UsageError } from './args.js';
import { COMMAND_HANDLERS } from './commands.js';
import { FileStore } from './file-store.js';
import { learnPolicy, watchPolicy } from './policy.js';
import { lockProfile } from './profile-lock.js';
import { cliOutput, describeFailure, EXIT, type CliOutput, type LineSink } from './report.js';

/** How long a command waits for another one using the same profile. */
const PROFILE_LOCK_WAIT_MS = 5_000;

export interface CliStreams {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: LineSink;
  readonly stderr: LineSink;
  /** Tests only: the network the client uses (the real fetch and the `ws` package's WebSocket by default). */
  readonly network?: Pick<EnvelopeClientOptions, 'fetch' | 'WebSocket'>;
}

/** Runs one command; resolves to its exit code (report.ts's EXIT), never rejects. */
export async function runCli(argv: readonly string[], streams: CliStreams): Promise<number> {
  const out = cliOutput(streams.stdout, streams.stderr);
  try {
    return await run(argv, streams, out);
  } catch (error: unknown) {
    const { line, exitCode } = describeFailure(error);
    out.tell(line);
    // Bad input: the line says what was wrong, the usage text what would be right.
    if (error instanceof UsageError) streams.stderr.write(`${USAGE}\n`);
    return exitCode;
  }
}

async function run(argv: readonly string[], { env, stderr, network }: CliStreams, out: CliOutput): Promise<number> {
  if (argv.length === 0) {
    stderr.write(`${USAGE}\n`);
    return EXIT.USAGE;
  }
  const commandLine = parseCommandLine(argv, env);
  if (commandLine.kind === 'help') {
    stderr.write(`${USAGE}\n`);
    return EXIT.OK;
  }
  const { args } = commandLine;
  await mkdir(args.profile, { recursive: true, mode: 0o700 });
  const release = await lockProfile(args.profile, PROFILE_LOCK_WAIT_MS);
  let client: EnvelopeClient | undefined;
  try {
    const store = await FileStore.open(args.profile);
    client = await EnvelopeClient.open({ store, WebSocket, ...network, ...(args.server ? { serverUrl: args.server } : {}) });
    if (env.ENVELOPE_DEBUG) traceConnection(client, out);
    // Every command says the mode while it is not e2ee, before it does anything (policy.ts).
    watchPolicy(client, out);
    await learnPolicy(client);
    await COMMAND_HANDLERS[args.command]({ client, args, serverUrl: client.serverUrl, out });
    return EXIT.OK;
  } finally {
    await client?.close();
    await release();
  }
}

/** ENVELOPE_DEBUG=1: connection states and background errors on stderr (codes and reasons only, never content). */
function traceConnection(client: EnvelopeClient, out: CliOutput): void {
  client.events.on('status', (status) => out.tell(`[debug] connection ${status}`));
  client.events.on('error', (error) => out.tell(`[debug] ${error.code}: ${error.message}`));
}
