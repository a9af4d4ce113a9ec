/**
 * The metadata signals through the real relay (a server process, as `npm start`
 * runs it) with the real command-line client: real sign-ups with declared age
 * bands, real encryption. An adult-band account opening conversations with
 * three minor-band accounts is flagged, with exactly the envelopes it sent
 * them as evidence; an ordinary exchange between two adults flags nobody.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalsResponseSchema } from '@envelope/protocol';
import { getJson, startProcess, tempDataDir, type ServerProcess } from '@envelope/testkit/harness.js';
import { cli } from '@envelope/testkit/cli.js';

let server: ServerProcess;
const profiles = tempDataDir();
const sentToMinors: string[] = [];

async function run(name: string, ...args: string[]) {
  const result = await cli(server.url, join(profiles, name), ...args);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

beforeAll(async () => {
  server = await startProcess();
  await run('grown-up', 'register', 'grown-up', '--age-band', 'adult');
  await run('neighbour', 'register', 'neighbour', '--age-band', 'adult');
  for (const [name, band] of [['kid-a', '13-15'], ['kid-b', 'under-13'], ['kid-c', '16-17']] as const) {
    await run(name, 'register', name, '--age-band', band);
  }
  for (const name of ['kid-a', 'kid-b', 'kid-c']) {
    const sent = await run('grown-up', 'send', name, 'see you at practice');
    sentToMinors.push(sent.lines[0].id);
  }
  // Benign: two adults, both ways.
  await run('neighbour', 'send', 'grown-up', 'parcel arrived for you');
  await run('grown-up', 'receive', '--wait', '1');
  await run('grown-up', 'send', 'neighbour', 'thanks, coming over');
});
afterAll(() => server.kill('SIGTERM'));

describe('metadata signals through the real relay and CLI', () => {
  it('flag the adult who opened conversations with minors, with those envelopes as evidence, and nobody else', async () => {
    const { status, json } = await getJson(`${server.url}/api/operator/signals`, server.operatorToken);
    expect(status).toBe(200);
    const signals = SignalsResponseSchema.parse(json);
    const ageBands = signals.detectors.find((d) => d.id === 'cross-age-band')!;
    expect(ageBands.flagged.map((f) => f.account)).toEqual(['grown-up']);
    expect(ageBands.flagged[0]!.evidence.map((e) => e.messageId)).toEqual(sentToMinors);
    // The exchange between the two adults raised nothing anywhere; on this little traffic no other check fires.
    for (const detector of signals.detectors) {
      const accounts = detector.flagged.map((f) => f.account);
      expect(accounts, detector.id).not.toContain('neighbour');
      if (detector.id !== 'cross-age-band') expect(accounts, detector.id).toEqual([]);
    }
  });

  it('refuse without the operator token', async () => {
    expect((await getJson(`${server.url}/api/operator/signals`)).status).toBe(401);
  });
});
