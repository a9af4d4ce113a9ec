/**
 * How far the class has got: for each step, the evidence that ticked it (from
 * the server's events) and the teacher's own tick or untick, which wins. A
 * reset of the class starts it over. Pure functions: the panel's model feeds
 * events in and stores the result (sessionStorage, so a reload of the panel
 * keeps ticks that only live events could give).
 */
import { z } from 'zod';
import type { LessonStep } from './lesson.js';
import { EMPTY_MEMORY, remember, type LessonEvent, type LessonMemory } from './lesson-events.js';

export interface LessonProgress {
  /** Evidence, by step id, for each step a server event ticked (the first such event). */
  readonly evidence: Readonly<Record<string, string>>;
  /** The teacher's ticks (true) and unticks (false), by step id. */
  readonly manual: Readonly<Record<string, boolean>>;
  readonly memory: LessonMemory;
}

export const EMPTY_PROGRESS: LessonProgress = { evidence: {}, manual: {}, memory: EMPTY_MEMORY };

export function isDone(progress: LessonProgress, stepId: string): boolean {
  return progress.manual[stepId] ?? stepId in progress.evidence;
}

export interface Observed {
  readonly progress: LessonProgress;
  /** Steps this event ticked that were not done before (the panel announces them). */
  readonly ticked: readonly LessonStep[];
}

/**
 * The progress after one server event: a reset of the class starts over (seen
 * live, or found on opening); otherwise each unticked step's check reads the event.
 */
export function observe(steps: readonly LessonStep[], progress: LessonProgress, event: LessonEvent): Observed {
  if (event.kind === 'activity' && event.activity.kind === 'class-reset') return { progress: EMPTY_PROGRESS, ticked: [] };
  // Only a reset deletes accounts: a server with none, where the stored lesson saw people write, was reset while the panel was closed.
  if (event.kind === 'existing' && event.accounts === 0 && progress.memory.writers.length > 0) return observe(steps, EMPTY_PROGRESS, event);
  let evidence = progress.evidence;
  const ticked: LessonStep[] = [];
  for (const step of steps) {
    if (step.id in evidence) continue;
    const found = step.check.evidence(event, progress.memory);
    if (found === null) continue;
    if (!isDone(progress, step.id)) ticked.push(step);
    evidence = { ...evidence, [step.id]: found };
  }
  return { progress: { evidence, manual: progress.manual, memory: remember(progress.memory, event) }, ticked };
}

/** The teacher ticks (or unticks) a step by hand; ticking it back to what the events say forgets the hand's word. */
export function setByHand(progress: LessonProgress, stepId: string, done: boolean): LessonProgress {
  const { [stepId]: _dropped, ...others } = progress.manual;
  const byEvents = stepId in progress.evidence;
  return { ...progress, manual: done === byEvents ? others : { ...others, [stepId]: done } };
}

/** Bounds what a stored progress may hold: a lesson has a dozen steps, a class tens of people. */
const MAX_STEPS = 64;
const MAX_WRITERS = 1_000;

const StoredProgressSchema = z
  .object({
    evidence: z.record(z.string().max(64), z.string().max(500)).refine((r) => Object.keys(r).length <= MAX_STEPS),
    manual: z.record(z.string().max(64), z.boolean()).refine((r) => Object.keys(r).length <= MAX_STEPS),
    memory: z.object({ writers: z.array(z.string().max(64)).max(MAX_WRITERS), leftE2ee: z.boolean() }).strict(),
  })
  .strict();

/** A stored progress, or the empty one if it is missing or not one (a damaged entry starts the lesson over, it does not break the panel). */
export function parseProgress(text: string | null): LessonProgress {
  if (text === null) return EMPTY_PROGRESS;
  try {
    const parsed = StoredProgressSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : EMPTY_PROGRESS;
  } catch {
    return EMPTY_PROGRESS;
  }
}
