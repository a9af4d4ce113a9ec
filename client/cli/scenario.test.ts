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
    expect(await runScenarioCli(['--users', '300', '--days', '2', '--seed', '9', '--no-tornado', '--out', join(out, 'a')], first.io)).toBe(0);
    expect(first.lines.filter((l) => l.startsWith('scenario: day ')).length).toBe(2);
    expect(await runScenarioCli(['--users=300', '--days=2', '--seed=9', '--no-tornado', `--out=${join(out, 'b')}`], io().io)).toBe(0);
    const a = await readFile(join(out, 'a', 'result.json'), 'utf8');
    expect(await readFile(join(out, 'b', 'result.json'), 'utf8')).toBe(a);
    expect(JSON.parse(a).parameters.seed).toMatchObject({ value: 9, provenance: 'assumed' });
    expect(JSON.parse(await readFile(join(out, 'a', 'run.json'), 'utf8'))).toMatchObject({ seconds: expect.any(Number), peakResidentMemoryMB: 100, tornadoSeconds: null });
    expect(JSON.parse(a).tornado).toBeUndefined();
    expect(await readFile(join(out, 'a', 'briefing.html'), 'utf8')).toContain('The tornado was switched off');
  });

  it('runs the tornado in worker threads at the stated size, with a progress line per run; the same bytes with one thread or two', async () => {
    const out = await mkdtemp(join(tmpdir(), 'scenario-'));
    dirs.push(out);
    const args = ['--users', '300', '--days', '2', '--seed', '3', '--tornado-users', '200', '--tornado-days', '1'];
    const two = io();
    expect(await runScenarioCli([...args, '--tornado-threads', '2', '--out', join(out, 'two')], two.io)).toBe(0);
    expect(await runScenarioCli([...args, '--tornado-threads', '1', '--out', join(out, 'one')], io().io)).toBe(0);
    const result = await readFile(join(out, 'two', 'result.json'), 'utf8');
    expect(await readFile(join(out, 'one', 'result.json'), 'utf8')).toBe(result);
    const tornado = JSON.parse(result).tornado;
    expect(tornado).toMatchObject({ users: 200, days: 1, seed: 3, runs: expect.any(Number) });
    expect(tornado.bars.length).toBe(5);
    const progress = two.lines.filter((l) => l.startsWith('scenario: tornado run '));
    expect(progress.length).toBe(tornado.runs);
    expect(progress.at(-1)).toContain(`run ${tornado.runs} of ${tornado.runs}`);
    const html = await readFile(join(out, 'two', 'briefing.html'), 'utf8');
    expect(html).toContain('<figure id="tornado" class="chart">');
    expect(JSON.parse(await readFile(join(out, 'two', 'run.json'), 'utf8')).tornadoSeconds).toEqual(expect.any(Number));
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
      [['--out', '/tmp/x', '--tornado-threads', '1.5'], '--tornado-threads must be a whole number from 0 to 64'],
      [['--out', '/tmp/x', '--users', '300', '--tornado-users', '50'], 'users must be a whole number from 100'],
    ] as const) {
      const run = io();
      expect(await runScenarioCli(argv, run.io)).toBe(2);
      expect(run.lines.join('')).toContain(said);
      expect(run.lines.join('')).toContain('usage: npm run scenario');
    }
  });
});
