import { describe, expect, it } from 'vitest';
import { computeTornado, resultJson, runScenario, withTornado } from './index.js';

describe('result.json', () => {
  const main = { users: 300, days: 1, seed: 3 };
  const result = runScenario(main);

  it('is the result as indented JSON with a final newline, the same for the same seed', () => {
    const text = resultJson(result);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(result)));
    expect(resultJson(runScenario(main))).toBe(text);
  });

  it('adds the tornado last, as the CLI does ({ ...result, tornado }), and replaces an older one', () => {
    const tornado = computeTornado(main, {}, (overrides) => runScenario(overrides));
    expect(resultJson(withTornado(result, tornado))).toBe(resultJson({ ...result, tornado }));
    const keys = Object.keys(withTornado(result, tornado));
    expect(keys).toEqual([...Object.keys(result), 'tornado']);
    const twice = withTornado(withTornado(result, { ...tornado, runs: 0 }), tornado);
    expect(resultJson(twice)).toBe(resultJson(withTornado(result, tornado)));
  });
});
