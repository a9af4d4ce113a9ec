/**
 * `npm run bench [-- SECTION ...]`: runs the benchmark sections (all by default)
 * and prints one JSON object on stdout. Progress and diagnostics go to stderr,
 * so stdout stays machine-readable.
 */
import os from 'node:os';
import { benchCrypto } from './crypto.js';
import { benchEscrow } from './escrow.js';
import { benchRelay } from './relay.js';
import { benchScenario } from './scenario.js';
import { benchSignals } from './signals.js';

const SECTIONS: Record<string, () => Promise<unknown>> = {
  crypto: benchCrypto,
  escrow: benchEscrow,
  relay: benchRelay,
  signals: benchSignals,
  scenario: benchScenario,
};
/** Run only when named: a million-account scenario takes many minutes. */
const ON_REQUEST = new Set(['scenario']);

async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = requested.filter((name) => !(name in SECTIONS));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown section ${unknown.join(', ')}; sections are: ${Object.keys(SECTIONS).join(', ')}\n`);
    process.exit(2);
  }
  const names = requested.length > 0 ? requested : Object.keys(SECTIONS).filter((name) => !ON_REQUEST.has(name));
  const result: Record<string, unknown> = {
    meta: {
      node: process.version,
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? 'unknown',
      started_at: new Date().toISOString(),
      method: 'each figure is the median of timed rounds after a warm-up; what is compared runs in one process, in alternating rounds',
    },
  };
  for (const name of names) {
    process.stderr.write(`bench: running ${name}...\n`);
    const started = performance.now();
    result[name] = await SECTIONS[name]!();
    process.stderr.write(`bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
