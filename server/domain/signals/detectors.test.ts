import { describe, expect, it } from 'vitest';
import { AGE_BAND_FULL_SCORE_MINORS, AGE_BAND_THRESHOLD, CrossAgeBandDetector } from './age-bands.js';
import { ContactBook, MAX_CONTACTS_PER_ACCOUNT } from './contacts.js';
import { MAX_EVIDENCE, type Detector } from './detector.js';
import { FanOutDetector } from './fan-out.js';
import { NEW_ACCOUNT_AGE_MS, NewAccountVolumeDetector } from './new-account-volume.js';
import { OneWayDetector } from './one-way.js';
import { createDetectors } from './service.js';
import { STRANGER_THRESHOLD, STRANGER_WINDOW_MS, StrangerContactsDetector } from './stranger-contacts.js';
import { ScriptedLog } from './testing.js';

const MIN = 60_000;

function run(detector: Detector, log: ScriptedLog) {
  for (const event of log.events) detector.observe(event, log.accountsOf(event));
  return detector.report();
}

const flaggedNames = (report: ReturnType<Detector['report']>) => report.flagged.map((f) => f.account);

describe('stranger contacts', () => {
  it('flags an account writing first to 12 unconnected accounts within an hour, with those envelopes as evidence', () => {
    const log = new ScriptedLog();
    const sent = Array.from({ length: 12 }, (_, i) => log.send('groomer', `kid${i}`, i * 3 * MIN));
    const report = run(new StrangerContactsDetector(), log);
    expect(flaggedNames(report)).toEqual(['groomer']);
    const [flag] = report.flagged;
    expect(flag!.score).toBeCloseTo(12 / 20);
    expect(flag!.evidence.map((e) => e.seq)).toEqual(sent.map((e) => e.seq));
    expect(report.unattributable).toBe(0);
  });

  it('stays quiet when the new contacts share a friend, or come slower than the window', () => {
    const log = new ScriptedLog();
    // A class: the teacher already talks with "rep", who talks with every pupil.
    log.send('teacher', 'rep', 0);
    for (let i = 0; i < 15; i++) log.send('rep', `pupil${i}`, MIN + i);
    for (let i = 0; i < 15; i++) log.send('teacher', `pupil${i}`, 10 * MIN + i * MIN);
    // Someone meeting 15 people, one every 2 hours.
    for (let i = 0; i < 15; i++) log.send('slow', `new${i}`, i * 120 * MIN);
    const report = run(new StrangerContactsDetector(), log);
    expect(report.flagged.map((f) => f.account)).not.toContain('teacher');
    expect(report.flagged.map((f) => f.account)).not.toContain('slow');
    // "rep" did write to 15 unconnected pupils in a minute: that is the pattern, correctly seen.
    expect(flaggedNames(report)).toEqual(['rep']);
  });

  it('does not count replies to an earlier conversation as first contacts', () => {
    const log = new ScriptedLog();
    for (let i = 0; i < 12; i++) log.send(`friend${i}`, 'popular', i);
    for (let i = 0; i < 12; i++) log.send('popular', `friend${i}`, MIN + i);
    expect(run(new StrangerContactsDetector(), log).flagged.map((f) => f.account)).not.toContain('popular');
  });
});

describe('contact across declared age bands', () => {
  it('flags an adult who opens conversations with declared minors, scoring by how many', () => {
    const log = new ScriptedLog().account('adult1', 0, 'adult').account('kid1', 0, '13-15').account('kid2', 0, 'under-13').account('kid3', 0, '16-17');
    log.send('adult1', 'kid1', 0);
    log.send('adult1', 'kid2', MIN);
    log.send('adult1', 'kid3', 2 * MIN);
    const later = log.send('adult1', 'kid1', 3 * MIN);
    const report = run(new CrossAgeBandDetector(), log);
    expect(flaggedNames(report)).toEqual(['adult1']);
    expect(report.flagged[0]!.score).toBe(1);
    expect(report.flagged[0]!.evidence.map((e) => e.seq)).toContain(later.seq);
  });

  it('stays quiet when the minor wrote first, when both are adults, or when bands were not declared', () => {
    const log = new ScriptedLog().account('parent', 0, 'adult').account('child', 0, '13-15').account('adult2', 0, 'adult').account('anon', 0, null);
    log.send('child', 'parent', 0);
    log.send('parent', 'child', MIN);
    log.send('parent', 'adult2', 2 * MIN);
    log.send('anon', 'child', 3 * MIN);
    expect(run(new CrossAgeBandDetector(), log).flagged).toEqual([]);
  });
});

describe('the contact book shared by the first-contact detectors', () => {
  it('gives each the same verdicts as a book of its own, in either order, past the cap too', () => {
    const log = new ScriptedLog().account('adult1', 0, 'adult').account('adult2', 0, 'adult');
    for (let i = 0; i < 12; i++) log.account(`kid${i}`, 0, i % 2 ? '13-15' : 'under-13');
    for (let i = 0; i < 12; i++) log.send('adult1', `kid${i}`, i * MIN); // strangers, and minors
    for (let i = 0; i < 12; i++) log.send(`kid${i}`, 'adult1', 20 * MIN + i); // replies: no longer first contacts
    log.send('adult2', 'kid0', 40 * MIN); // kid0 and adult2 share adult1: not strangers, still a minor
    // A hub past the cap: its later first contacts cannot be told apart.
    for (let i = 0; i < MAX_CONTACTS_PER_ACCOUNT + 15; i++) log.send('hub', `member${i}`, 60 * MIN + i);
    for (let i = 0; i < 3; i++) log.send('adult2', `kid${i + 3}`, 90 * MIN + i);
    const own = [new StrangerContactsDetector(), new CrossAgeBandDetector()].map((d) => run(d, log));
    for (const order of [
      ['stranger', 'age'],
      ['age', 'stranger'],
    ]) {
      const contacts = new ContactBook();
      const detectors = order.map((name) =>
        name === 'stranger'
          ? new StrangerContactsDetector(STRANGER_WINDOW_MS, STRANGER_THRESHOLD, contacts)
          : new CrossAgeBandDetector(AGE_BAND_THRESHOLD, AGE_BAND_FULL_SCORE_MINORS, contacts),
      );
      for (const event of log.events) for (const d of detectors) d.observe(event, log.accountsOf(event));
      const shared = detectors.map((d) => d.report());
      if (order[0] === 'age') shared.reverse();
      expect(shared).toEqual(own);
    }
    expect(own.map((r) => r.flagged.length)).toEqual([2, 2]); // adult1 and the hub's first contacts; adult1 and adult2
    // The cap is judged before each contact is recorded: the hub's first MAX_CONTACTS_PER_ACCOUNT contacts count, no more.
    expect(own[0]!.flagged.find((f) => f.account === 'hub')!.summary).toContain(`(${MAX_CONTACTS_PER_ACCOUNT} in all)`);
  });
});

describe('fan-out bursts', () => {
  it('flags 30 distinct recipients within a minute', () => {
    const log = new ScriptedLog();
    for (let i = 0; i < 30; i++) log.send('spammer', `target${i}`, i * 1000);
    const report = run(new FanOutDetector(), log);
    expect(flaggedNames(report)).toEqual(['spammer']);
    expect(report.flagged[0]!.score).toBeCloseTo(30 / 50);
    expect(report.flagged[0]!.evidence).toHaveLength(6); // envelopes sent at or above the threshold
  });

  it('stays quiet on many envelopes to a few people, and on 30 recipients spread over an hour', () => {
    const log = new ScriptedLog();
    for (let i = 0; i < 300; i++) log.send('chatty', `friend${i % 5}`, i * 100);
    for (let i = 0; i < 30; i++) log.send('steady', `someone${i}`, i * 2 * MIN);
    expect(run(new FanOutDetector(), log).flagged).toEqual([]);
  });
});

describe('one-way conversations', () => {
  it('flags 25 unanswered envelopes, and keeps evidence bounded', () => {
    const log = new ScriptedLog();
    for (let i = 0; i < 25; i++) log.send('stalker', 'target', i * MIN);
    log.send('target', 'stalker', 30 * MIN); // one reply: 4%
    const report = run(new OneWayDetector(), log);
    expect(flaggedNames(report)).toEqual(['stalker']);
    expect(report.flagged[0]!.evidence).toHaveLength(MAX_EVIDENCE);
  });

  it('stays quiet on a two-way chat, and drops the flag once replies come', () => {
    const log = new ScriptedLog();
    for (let i = 0; i < 40; i++) log.send(i % 3 === 0 ? 'b' : 'a', i % 3 === 0 ? 'a' : 'b', i * MIN);
    for (let i = 0; i < 25; i++) log.send('eager', 'busy', i * MIN);
    for (let i = 0; i < 5; i++) log.send('busy', 'eager', 30 * MIN + i);
    expect(run(new OneWayDetector(), log).flagged).toEqual([]);
  });
});

describe('new accounts with high volume', () => {
  it('flags 250 envelopes in the first day', () => {
    const log = new ScriptedLog().account('fresh', 1_000_000);
    for (let i = 0; i < 250; i++) log.send('fresh', `r${i % 40}`, 1_000_000 + i * MIN);
    const report = run(new NewAccountVolumeDetector(), log);
    expect(flaggedNames(report)).toEqual(['fresh']);
    expect(report.flagged[0]!.score).toBeCloseTo(250 / 400);
  });

  it('stays quiet on an old account sending as much, and on a new one sending a little', () => {
    const log = new ScriptedLog().account('old', 0).account('newbie', 0);
    for (let i = 0; i < 250; i++) log.send('old', `r${i % 40}`, NEW_ACCOUNT_AGE_MS + i * MIN);
    for (let i = 0; i < 30; i++) log.send('newbie', 'friend', i * MIN);
    expect(run(new NewAccountVolumeDetector(), log).flagged).toEqual([]);
  });
});

describe('sealed sender', () => {
  it('is counted unattributable by every detector and never flags anyone, sender or recipient', () => {
    const log = new ScriptedLog().account('kid', 0, '13-15');
    // Every pattern above at once, but sealed: the server sees only the recipients.
    for (let i = 0; i < 300; i++) log.send(null, i % 2 === 0 ? 'kid' : `target${i}`, i * 100);
    // (The user-reports detector reads reports, not envelopes: its sealed case is in user-reports.test.ts.)
    for (const detector of createDetectors().filter((d) => !d.observeReport)) {
      const report = run(detector, log);
      expect(report.unattributable, detector.id).toBe(300);
      expect(report.flagged, detector.id).toEqual([]);
      expect(report.whatCannotBeKnown, detector.id).toMatch(/sealed sender/);
    }
  });
});

describe('every detector', () => {
  it('explains itself: pattern, parameters with reasons, and what it cannot know', () => {
    for (const detector of createDetectors()) {
      const report = detector.report();
      expect(report.pattern.length).toBeGreaterThan(20);
      expect(report.whatCannotBeKnown).toMatch(/said|sent/);
      for (const p of report.parameters) expect(p.reason.length, `${detector.id}.${p.name}`).toBeGreaterThan(10);
    }
  });
});
