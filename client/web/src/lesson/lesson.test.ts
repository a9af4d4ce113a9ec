/**
 * The lesson's single source and its progress: the steps the issue asks for,
 * 30 to 45 minutes, two or three sentences to say with sources on claims; each
 * check ticks from the server event it names and from nothing else (a
 * delivery receipt is not a message, a signed message is not sealed), the
 * teacher's hand wins, a reset of the class starts over, and a damaged stored
 * progress starts over instead of breaking the panel.
 */
import { describe, expect, it } from 'vitest';
import type { ClassActivity } from '@envelope/protocol';
import { envelope } from '../operator/test-data.js';
import { SOURCES } from '../ui/sources.js';
import { LESSON_MINUTES, LESSON_STEPS, lessonSources } from './lesson.js';
import type { LessonEvent } from './lesson-events.js';
import { EMPTY_PROGRESS, isDone, observe, parseProgress, setByHand, type LessonProgress } from './lesson-progress.js';

/** A class activity as the stream would carry it (at: any time). */
const activity = (a: { kind: ClassActivity['kind']; username?: string; reporter?: string }): LessonEvent => ({ kind: 'activity', activity: { at: 1, ...a } as ClassActivity });

function feed(events: readonly LessonEvent[], start: LessonProgress = EMPTY_PROGRESS): { progress: LessonProgress; ticked: string[] } {
  let progress = start;
  const ticked: string[] = [];
  for (const event of events) {
    const observed = observe(LESSON_STEPS, progress, event);
    progress = observed.progress;
    ticked.push(...observed.ticked.map((step) => step.id));
  }
  return { progress, ticked };
}

describe('the lesson’s source', () => {
  it('has the steps the issue asks for, in order, 30 to 45 minutes, each with what to show, say, ask and check', () => {
    expect(LESSON_STEPS.map((s) => s.id)).toEqual(['join', 'chat', 'xray', 'server-view', 'safety', 'report', 'sealed', 'warrant', 'transport-only', 'key-escrow', 'wrap-up']);
    expect(LESSON_MINUTES).toBeGreaterThanOrEqual(30);
    expect(LESSON_MINUTES).toBeLessThanOrEqual(45);
    for (const step of LESSON_STEPS) {
      expect(step.show.length, step.id).toBeGreaterThan(0);
      expect(step.say.length, step.id).toBeGreaterThanOrEqual(1);
      expect(step.say.length, step.id).toBeLessThanOrEqual(3);
      expect(step.question, step.id).toMatch(/\?$/);
      expect(step.task.length, step.id).toBeGreaterThan(10);
      expect(step.check.label.length, step.id).toBeGreaterThan(5);
    }
    // Every cited source is one of the project's named sources; the lesson cites the seeds' reporting.
    const named = new Set(Object.values(SOURCES).map((s) => s.label));
    for (const source of lessonSources()) expect(named.has(source.label), source.label).toBe(true);
    expect(lessonSources().map((s) => s.label)).toEqual(
      expect.arrayContaining([SOURCES.messengerDefaultE2ee.label, SOURCES.ncaReferrals.label, SOURCES.policeDeclaration.label, SOURCES.europolTwoAsks.label, SOURCES.openLetter2019.label]),
    );
  });
});

describe('ticking the lesson from the server’s events', () => {
  it('ticks each step from the event its check names, with the evidence in words', () => {
    const { progress, ticked } = feed([
      activity({ kind: 'joined', username: 'alice' }),
      { kind: 'envelope', envelope: envelope(1, 'alice', 'bob') },
      { kind: 'delivered', ack: { messageId: 'message-0001', recipient: 'bob', recipientDevice: 1 } as never },
      { kind: 'envelope', envelope: envelope(2, 'bob', 'alice') },
      activity({ kind: 'keys-changed', username: 'bob' }),
      activity({ kind: 'reported', reporter: 'bob' }),
      { kind: 'envelope', envelope: envelope(3, null, 'bob') },
      activity({ kind: 'warrant-answered', username: 'alice' }),
      { kind: 'policy', mode: 'transport-only' },
      { kind: 'policy', mode: 'key-escrow' },
      { kind: 'policy', mode: 'e2ee' },
    ]);
    expect(ticked).toEqual(LESSON_STEPS.map((s) => s.id));
    expect(progress.evidence).toMatchObject({
      join: 'alice joined',
      chat: 'a message for bob reached the server from alice',
      'server-view': 'the server has seen alice and bob write',
      sealed: expect.stringMatching(/does not know who sent it/),
      warrant: 'the server answered a warrant about alice',
    });
  });

  it('does not tick from the wrong event: a receipt is no message, one writer is not two, e2ee from the start is not a way back', () => {
    const { progress, ticked } = feed([
      { kind: 'existing', accounts: 0, reports: 0 },
      { kind: 'envelope', envelope: envelope(1, 'alice', 'bob', { receipt: true }) },
      { kind: 'envelope', envelope: envelope(2, 'alice', 'bob') },
      { kind: 'envelope', envelope: envelope(3, 'alice', 'carol') },
      { kind: 'policy', mode: 'e2ee' },
    ]);
    expect(ticked).toEqual(['chat']);
    expect(progress.evidence.chat).toBe('a message for bob reached the server from alice');
    for (const id of ['join', 'server-view', 'sealed', 'wrap-up', 'report']) expect(isDone(progress, id), id).toBe(false);
  });

  it('catches up from what the server already holds when the panel opens', () => {
    const { progress } = feed([{ kind: 'existing', accounts: 12, reports: 1 }]);
    expect(progress.evidence).toEqual({ join: '12 people have joined', report: '1 report is in the queue' });
  });

  it('starts over when it opens on a server with no accounts after seeing people write (the class was reset while it was closed)', () => {
    const before = feed([activity({ kind: 'joined', username: 'alice' }), { kind: 'envelope', envelope: envelope(1, 'alice', 'bob') }]).progress;
    expect(feed([{ kind: 'existing', accounts: 0, reports: 0 }], before).progress).toEqual(EMPTY_PROGRESS);
    // With the accounts still there, nothing is lost.
    expect(feed([{ kind: 'existing', accounts: 2, reports: 0 }], before).progress.evidence).toEqual(before.evidence);
  });

  it('lets the teacher tick and untick by hand, over what the events say; a reset of the class starts over', () => {
    let { progress } = feed([activity({ kind: 'joined', username: 'alice' })]);
    progress = setByHand(progress, 'join', false);
    expect(isDone(progress, 'join')).toBe(false);
    progress = setByHand(progress, 'xray', true);
    expect(isDone(progress, 'xray')).toBe(true);
    // An event for a step the teacher unticked changes nothing; ticking it back forgets the hand's word.
    progress = feed([activity({ kind: 'joined', username: 'bob' })], progress).progress;
    expect(isDone(progress, 'join')).toBe(false);
    progress = setByHand(progress, 'join', true);
    expect(progress.manual).toEqual({ xray: true });
    // Stored and read back as it was.
    expect(parseProgress(JSON.stringify(progress))).toEqual(progress);
    expect(feed([activity({ kind: 'class-reset' })], progress).progress).toBe(EMPTY_PROGRESS);
  });

  it('starts over from a stored progress that is damaged or not one', () => {
    for (const text of [null, '', '{', '[]', '{"evidence":{},"manual":{"join":"yes"},"memory":{"writers":[],"leftE2ee":false}}', JSON.stringify({ ...EMPTY_PROGRESS, extra: 1 })]) {
      expect(parseProgress(text)).toBe(EMPTY_PROGRESS);
    }
  });
});
