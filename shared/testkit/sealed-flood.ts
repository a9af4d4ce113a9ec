/**
 * The anonymous mailbox flood, measured: a real server in process (temporary
 * SQLite, default settings) and one loopback address posting junk sealed
 * envelopes to one victim over POST /api/sealed, with no access key, 50 at a
 * time. Prints what the server answered and how many envelopes it stored.
 *
 *   npx tsx server/testing/sealed-flood.ts [COUNT]     (COUNT: 1,500 by default, at most 20,000)
 *
 * The server never opens a body, so junk bytes that start with the sealed
 * framing byte are as good as real sealed envelopes here.
 */
import Database from 'better-sqlite3';
import { toBase64Url, FRAME_SEALED } from '@envelope/crypto-public';
import { randomMessageId, register, startInProcess } from './harness.js';

const MAX_COUNT = 20_000;
const IN_FLIGHT = 50;
const count = Math.min(Number(process.argv[2] ?? 1_500) || 1_500, MAX_COUNT);
const junk = toBase64Url(Uint8Array.of(FRAME_SEALED, ...new Uint8Array(299).fill(7)));

const env = await startInProcess();
const victim = await register(env.url, 'victim');
const answers: Record<string, number> = {};
const started = performance.now();
for (let start = 0; start < count; start += IN_FLIGHT) {
  await Promise.all(
    Array.from({ length: Math.min(IN_FLIGHT, count - start) }, async () => {
      const response = await fetch(`${env.url}/api/sealed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: randomMessageId(), to: 'victim', toDevice: victim.deviceId, body: junk }),
      });
      const { code } = (await response.json()) as { code?: string };
      const answer = `${response.status}${code ? ` ${code}` : ''}`;
      answers[answer] = (answers[answer] ?? 0) + 1;
    }),
  );
}
const ms = Math.round(performance.now() - started);
await env.close();
const db = new Database(env.server.databasePath, { readonly: true });
const stored = (db.prepare("SELECT count(*) AS n FROM mailbox WHERE recipient = 'victim'").get() as { n: number }).n;
db.close();
process.stdout.write(`${JSON.stringify({ sent: count, stored, answers, ms })}\n`);
