/**
 * The CLI's commands: each a few calls on the client core, its result printed
 * as one JSON line. Their arguments were checked by args.ts. Network waits are bounded (args.patienceMs, from
 * $ENVELOPE_PATIENCE) so a script never hangs on a server that is down.
 */
import type { MessageId } from '@envelope/protocol';
import { isClientError, unsealedNotice, type EnvelopeClient, type InboxEntry } from '@envelope/client-core';
import type { ParsedArgs } from './args.js';
import { policy, refusedByPolicy } from './policy.js';
import { CliFailure, EXIT, type CliOutput } from './report.js';

/** How long a command lingers at the end for confirmations of resent outbox entries. */
const OUTBOX_SETTLE_MS = 2_000;
const RETRY_PAUSE_MS = 500;

export interface CommandContext {
  readonly client: EnvelopeClient;
  readonly args: ParsedArgs;
  readonly serverUrl: string;
  readonly out: CliOutput;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Runs `attempt` until it succeeds, fails for a reason retrying cannot fix, or the deadline passes. */
async function retryWhileUnreachable<T>(deadline: number, attempt: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const transient = isClientError(error, 'SERVER_UNREACHABLE') || isClientError(error, 'RATE_LIMITED');
      if (!transient || Date.now() + RETRY_PAUSE_MS >= deadline) throw error;
      await sleep(RETRY_PAUSE_MS);
    }
  }
}

/** The one line for "the server could not be used for long enough", or the error itself if it is another kind. */
function gaveUp(context: CommandContext, error: unknown, what: string): unknown {
  const seconds = context.args.patienceMs / 1000;
  if (isClientError(error, 'SERVER_UNREACHABLE')) {
    return new CliFailure(`cannot reach the server at ${context.serverUrl} (tried for ${seconds} s): ${what}`, EXIT.SERVER_UNREACHABLE);
  }
  if (isClientError(error, 'RATE_LIMITED')) {
    return new CliFailure(`the server at ${context.serverUrl} is rate limiting us (tried for ${seconds} s): ${what}`, EXIT.SERVER_UNREACHABLE);
  }
  return error;
}

/** Rejects with `onTimeout()` if `promise` has not settled by `deadline`. */
async function before<T>(deadline: number, promise: Promise<T>, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function register(context: CommandContext): Promise<void> {
  const { client, args } = context;
  const name = args.positionals[0]!;
  const ageBand = args.ageBand;
  const deadline = Date.now() + args.patienceMs;
  const account = await retryWhileUnreachable(deadline, () =>
    client.register(name, ageBand === undefined ? {} : { ageBand }),
  ).catch((error: unknown) => {
    throw gaveUp(context, error, 'not registered');
  });
  context.out.json({ registered: account.username, deviceId: account.deviceId });
}

export async function send(context: CommandContext): Promise<void> {
  const { client } = context;
  const [to, text] = context.args.positionals as [string, string];
  const deadline = Date.now() + context.args.patienceMs;
  client.connect();
  const pending = await retryWhileUnreachable(deadline, () => client.enqueue(to, text)).catch((error: unknown) => {
    if (isClientError(error, 'UNKNOWN_POLICY_MODE')) throw refusedByPolicy(context.out, error);
    if (isClientError(error, 'KEY_CHANGED')) {
      throw new CliFailure(
        `${to}'s identity key has changed, so nothing was sent. Compare safety numbers (safety-number ${to}), then run \`trust ${to}\` to accept the new key`,
        EXIT.KEY_CHANGED,
      );
    }
    throw gaveUp(context, error, 'nothing was sent');
  });
  if (pending.unsealedBecause) context.out.tell(unsealedNotice(to, pending.unsealedBecause));
  const result = await before(deadline, pending.stored, () =>
    new CliFailure(
      `the server at ${context.serverUrl} did not confirm message ${pending.id} within ${context.args.patienceMs / 1000} s; ` +
        'it stays in the outbox and will be resent by the next envelope command on this profile',
      EXIT.SERVER_UNREACHABLE,
    ),
  );
  context.out.json({ id: result.id, to: result.to, storedAt: result.storedAt });
  await settleOutbox(client);
}

/** Why a message was not shown, in words, where the code alone says little. */
const UNREADABLE_WORDS: Readonly<Record<string, string>> = {
  ESCROW_CHECK_FAILED: 'the escrow check failed (its key-escrow access field does not match it, so this app does not accept it)',
};

function printEntry(out: CliOutput, entry: InboxEntry): void {
  if (entry.kind === 'text') {
    const { id, from, fromDevice, text, sentAt, storedAt, receivedAt } = entry;
    // The mode it was sent under: what the server could read of it (policy.ts).
    out.json({ id, from, fromDevice, text, sentAt, storedAt, receivedAt, mode: entry.mode ?? 'e2ee' });
  } else {
    out.tell(`a message from ${entry.from ?? 'an unknown sender'} (id ${entry.id}) could not be decrypted: ${UNREADABLE_WORDS[entry.reason] ?? entry.reason}`);
  }
}

export async function receive(context: CommandContext): Promise<void> {
  const { client } = context;
  // Messages stored but not shown yet (received during another command, or released by trust) come first.
  const earlier = await client.messages({ unreadOnly: true });
  earlier.forEach((entry) => printEntry(context.out, entry));
  if (earlier.length > 0) await client.markRead(earlier.map((entry) => entry.id));

  // Each message is printed once, then marked read (it stays in the profile as
  // history). The backlog is marked in one write once it is all out; a crash
  // before that prints it again next time rather than losing it.
  let printed: InboxEntry['id'][] = [];
  let backlogDone = false;
  const markPrinted = async () => {
    const ids = printed;
    printed = [];
    if (ids.length > 0) await client.markRead(ids);
  };
  const show = (entry: InboxEntry) => {
    printEntry(context.out, entry);
    printed.push(entry.id);
    if (backlogDone) void markPrinted();
  };
  client.events.on('message', show);
  client.events.on('undecryptable', show);
  try {
    client.connect();
    await client.whenReady(context.args.patienceMs).catch((error: unknown) => {
      throw gaveUp(context, error, 'no messages received');
    });
    backlogDone = true;
    await markPrinted();
    if (context.args.waitSeconds !== undefined && context.args.waitSeconds > 0) await waitOrInterrupt(context.args.waitSeconds * 1000);
    await settleOutbox(client);
  } finally {
    await markPrinted();
  }

  // Messages held because a key changed (this time or earlier) are not lost, and
  // not accepted either: the command fails until the user decides (trust NAME).
  const changed = (await client.contacts()).filter((contact) => contact.keyChangePending);
  if (changed.length > 0) {
    const held = await Promise.all(changed.map(async (c) => `${c.username} (${await client.heldCount(c.username)} message(s) held unread)`));
    const names = changed.map((c) => c.username);
    throw new CliFailure(
      `identity key changed for ${held.join(', ')}. Compare safety numbers (safety-number ${names[0]}), ` +
        `then run ${names.map((name) => `\`trust ${name}\``).join(' and ')} to accept the new key and read them`,
      EXIT.KEY_CHANGED,
    );
  }
}

/** Sleeps, but returns early on Ctrl-C so the command still closes cleanly. */
function waitOrInterrupt(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export async function safetyNumber(context: CommandContext): Promise<void> {
  const name = context.args.positionals[0]!;
  const deadline = Date.now() + context.args.patienceMs;
  const result = await retryWhileUnreachable(deadline, () => context.client.safetyNumber(name)).catch((error: unknown) => {
    throw gaveUp(context, error, `${name}'s key is not known yet`);
  });
  context.out.json({ contact: result.contact, safetyNumber: result.safetyNumber, verified: result.verified, devices: result.deviceIds });
  if (result.keyChangePending) {
    context.out.tell(`${name}'s identity key has changed; this number is for the key trusted so far. Run \`trust ${name}\` to accept the new key`);
  }
}

export async function trust(context: CommandContext): Promise<void> {
  const name = context.args.positionals[0]!;
  const pending = (await context.client.contacts()).some((contact) => contact.username === name && contact.keyChangePending);
  const outcomes = await context.client.trustNewKey(name);
  const released = outcomes.filter((outcome) => outcome.kind !== 'held').length;
  context.out.json({ trusted: name, released });
  if (!pending) context.out.tell(`no key change was pending for ${name}; nothing changed`);
  else if (released > 0) context.out.tell(`${name}'s new key is trusted; ${released} held message(s) released: run receive to read them`);
  else context.out.tell(`${name}'s new key is trusted`);
}

export async function verify(context: CommandContext): Promise<void> {
  const name = context.args.positionals[0]!;
  await context.client.markVerified(name).catch((error: unknown) => {
    if (isClientError(error, 'UNKNOWN_USER')) {
      throw new CliFailure(`no identity key known for ${name} yet: run \`safety-number ${name}\` and compare it first`, EXIT.UNKNOWN_USER);
    }
    throw error;
  });
  context.out.json({ verified: name });
}

export async function report(context: CommandContext): Promise<void> {
  const id = context.args.positionals[0]!;
  const reason = context.args.reason ?? 'other';
  const deadline = Date.now() + context.args.patienceMs;
  const filed = await retryWhileUnreachable(deadline, () => context.client.report(id as MessageId, reason)).catch((error: unknown) => {
    throw gaveUp(context, error, 'nothing was reported');
  });
  context.out.json({ reported: filed.messageId, reportId: filed.id, sender: filed.sender, senderVerified: filed.senderVerified, reason, duplicate: filed.duplicate });
  if (filed.duplicate) context.out.tell(`you had already reported message ${filed.messageId}; nothing new was filed`);
  if (!filed.senderVerified) context.out.tell('sent with sealed sender: the server confirmed the text and the time, but the sender only on your word');
}

export async function sealedSender(context: CommandContext): Promise<void> {
  const value = context.args.positionals[0];
  const settings = await context.client.setSealedSender(value === 'on');
  context.out.json({ sealedSender: settings.sealedSender });
  if (settings.sealedSender) {
    context.out.tell(
      'messages sent from now on do not name you to the server; it still sees the recipient, the time and your network address. ' +
        'Only to people who have written to you: a message to anyone else still carries your name',
    );
  }
}

/**
 * Older outbox entries were resent when the connection came up; give their
 * confirmations a moment so they leave the outbox now rather than next time.
 */
async function settleOutbox(client: EnvelopeClient): Promise<void> {
  if (client.status !== 'online') return;
  const deadline = Date.now() + OUTBOX_SETTLE_MS;
  while ((await client.outbox()).length > 0 && Date.now() < deadline) await sleep(100);
}

export const COMMAND_HANDLERS = { register, send, receive, 'safety-number': safetyNumber, trust, verify, report, 'sealed-sender': sealedSender, policy } as const;

