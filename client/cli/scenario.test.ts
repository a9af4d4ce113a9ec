import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runScenarioCli } from './scenario.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function io() {
  const lines: string[] = [];
  let tick = 0;
  return { lines, io: { stderr: { write: (t: string) => lines.push(t) }, memory: () => 1e8, now: () => (tick += 10) } };
}

describe('npm run scenario', () => {
  it('shows progress, writes result.json (the same bytes for the same seed) and run.json (time, peak memory)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'scenario-'));
    dirs.push(out);
    const first = io();
    expect(await runScenarioCli(['--users', '300', '--days', '2', '--seed', '9', '--out', join(out, 'a')], first.io)).toBe(0);
    expect(first.lines.filter((l) => l.startsWith('scenario: day ')).length).toBe(2);
    expect(await runScenarioCli(['--users=300', '--days=2', '--seed=9', `--out=${join(out, 'b')}`], io().io)).toBe(0);
    const a = await readFile(join(out, 'a', 'result.json'), 'utf8');
    expect(await readFile(join(out, 'b', 'result.json'), 'utf8')).toBe(a);
    expect(JSON.parse(a).parameters.seed).toMatchObject({ value: 9, provenance: 'assumed' });
    expect(JSON.parse(await readFile(join(out, 'a', 'run.json'), 'utf8'))).toMatchObject({ seconds: expect.any(Number), peakResidentMemoryMB: 100 });
  });

  it('refuses bad arguments with a line that says what is wrong, then the usage (exit 2)', async () => {
    for (const [argv, said] of [
      [['--users', '300'], '--out DIR is required'],
      [['--out', '/tmp/x', '--users', 'many'], '--users must be a number, not "many"'],
      [['--out', '/tmp/x', '--users', '5'], 'users must be a whole number from 100'],
      [['--out', '/tmp/x', '--padding', 'maybe'], '--padding must be on or off'],
      [['--out', '/tmp/x', '--set', 'nosuch=1'], '--set nosuch=1: not a parameter'],
      [['--out', '/tmp/x', '--set', 'minorShare=2'], 'minorShare must be a share from 0 to 1'],
      [['--out', '/tmp/x', '--discoverability', 'all'], 'discoverability must be "anyone" or "contacts-only"'],
      [['--out', '/tmp/x', '--colour'], "Unknown option '--colour'"],
    ] as const) {
      const run = io();
      expect(await runScenarioCli(argv, run.io)).toBe(2);
      expect(run.lines.join('')).toContain(said);
      expect(run.lines.join('')).toContain('usage: npm run scenario');
    }
  });
});
