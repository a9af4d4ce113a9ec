/**
 * The server's policy mode on the command line (@envelope/protocol policy.ts):
 * every command says on stderr, in plain words, when the mode is not e2ee
 * (and again if it changes while the command runs); `policy` prints the
 * announcement as one JSON line. A mode this build does not know is said too:
 * sends then fail (UNKNOWN_POLICY_MODE), as JSON on stdout and a line on stderr.
 */
import { isPolicyMode, POLICY_DEMO_CAVEAT, POLICY_WORDS, type PolicyAnnouncement } from '@envelope/protocol';
import { toBase64Url } from '@envelope/crypto-public';
import { isClientError, type ClientError, type EnvelopeClient } from '@envelope/client-core';
import type { CommandContext } from './commands.js';
import { CliFailure, EXIT, type CliOutput } from './report.js';

/** The stderr line for a mode: `policy: transport-only: The server can read what you write.` */
export function policyLine(mode: string): string {
  if (!isPolicyMode(mode)) return `policy: ${JSON.stringify(mode)} is a mode this app does not know, so it sends nothing (update the app)`;
  return `policy: ${mode}: ${POLICY_WORDS[mode].banner}`;
}

/**
 * Says the mode on stderr whenever it is not the one last said, starting from
 * e2ee (which, at the start, is not said: it is the default and changes nothing).
 */
export function watchPolicy(client: EnvelopeClient, out: CliOutput): void {
  let said = 'e2ee';
  client.events.on('policy', ({ mode }) => {
    if (mode === said) return;
    said = mode;
    out.tell(policyLine(mode));
  });
}

/**
 * Asks the server for its mode before the command runs (the 'policy' event
 * then says it). A server that cannot be reached is the command's own
 * failure to report, not this one's: it is skipped here.
 */
export async function learnPolicy(client: EnvelopeClient): Promise<void> {
  await client.refreshPolicy().catch((error: unknown) => {
    if (!isClientError(error)) throw error;
  });
}

/** `policy`: the announcement as one JSON line; the plain words are null for a mode this app does not know. */
export async function policy(context: CommandContext): Promise<void> {
  const announcement: PolicyAnnouncement = context.client.policy ?? (await context.client.refreshPolicy());
  const { mode, since, exposure, escrow } = announcement;
  const words = isPolicyMode(mode) ? POLICY_WORDS[mode] : null;
  context.out.json({
    mode,
    known: words !== null,
    name: words?.name ?? null,
    banner: words?.banner ?? null,
    detail: words?.detail ?? null,
    since,
    exposure,
    // key-escrow: who holds the escrow key's shares, how many open it, and the checkword's width.
    ...(escrow ? { escrow: { holders: escrow.holders, threshold: escrow.threshold, checkBits: escrow.checkBits, publicKey: toBase64Url(escrow.publicKey) } } : {}),
    caveat: POLICY_DEMO_CAVEAT,
  });
}

/** A send refused under an unknown mode: the typed error as one JSON line, then the usual failure line and exit code. */
export function refusedByPolicy(out: CliOutput, error: ClientError): CliFailure {
  out.json({ error: { code: error.code, mode: error.details.mode ?? null, message: error.message } });
  return new CliFailure(error.message, EXIT.POLICY_REFUSED);
}
