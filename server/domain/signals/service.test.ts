import { describe, expect, it } from 'vitest';
import type { MetadataEvent } from './detector.js';
import { SignalsService } from './service.js';
import { ScriptedLog } from './testing.js';

const MIN = 60_000;

function serviceOver(log: ScriptedLog): SignalsService {
  return new SignalsService({
    allAccounts: () => [...log.accounts].map(([username, a]) => ({ username, ...a })),
    account: (username) => log.accounts.get(username),
    logInSeqOrder: () => log.events,
    reportsInOrder: () => [],
  });
}

/** Every pattern at once, plus benign chatter and sealed envelopes, from a fixed seed. */
function mixedLog(): ScriptedLog {
  let state = 42;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const log = new ScriptedLog().account('adult', 0, 'adult').account('fresh', 10 * MIN);
  for (let i = 0; i < 20; i++) log.account(`kid${i}`, 0, i % 2 === 0 ? '13-15' : 'under-13');
  let t = 0;
  for (let i = 0; i < 3_000; i++) {
    t += Math.floor(random() * 2_000);
    const pick = random();
    if (pick < 0.05) log.send('adult', `kid${Math.floor(random() * 20)}`, t);
    else if (pick < 0.15) log.send('fresh', `user${Math.floor(random() * 200)}`, t);
    else if (pick < 0.2) log.send(null, `user${Math.floor(random() * 50)}`, t);
    else log.send(`user${Math.floor(random() * 50)}`, `user${Math.floor(random() * 50)}`, t);
  }
  return log;
}

describe('SignalsService', () => {
  it('a rescan of the log gives exactly what the incremental feed gave', () => {
    const log = mixedLog();
    const service = serviceOver(log);
    for (const event of log.events) service.observe(event);
    const incremental = service.snapshot();
    expect(incremental.detectors.some((d) => d.flagged.length > 0)).toBe(true);
    service.rescan();
    expect(service.snapshot()).toEqual(incremental);
    const fresh = serviceOver(log);
    fresh.rescan();
    expect(fresh.snapshot()).toEqual(incremental);
  });

  it('counts one message to several of a recipient\'s devices once, and ignores copies to the sender\'s own devices', () => {
    const log = new ScriptedLog();
    const first = log.send('alice', 'bob', 0);
    const copy: MetadataEvent = { ...first, seq: 2, recipientDevice: 2 };
    const own: MetadataEvent = { ...first, seq: 3, recipient: 'alice', recipientDevice: 2 };
    const service = serviceOver(log);
    for (const event of [first, copy, own]) service.observe(event);
    const snapshot = service.snapshot();
    expect(snapshot.throughSeq).toBe(3);
    for (const d of snapshot.detectors.filter((d) => d.unit !== 'report')) expect(d.observed, d.id).toBe(1);
  });

  it('skips rows it has already seen (a live commit overlapping a rescan)', () => {
    const log = new ScriptedLog();
    const event = log.send('alice', 'bob', 0);
    const service = serviceOver(log);
    service.rescan();
    service.observe(event);
    expect(service.snapshot().detectors[0]!.observed).toBe(1);
  });
});
