/**
 * The presenter panel's view model: opens the operator's live stream with the
 * operator token (the same token, kept the same way, as the operator page),
 * turns what it reports into ticks (lesson-progress.ts), and keeps the step on
 * screen. The stream starts from the beginning of the log (its backfill), and
 * the accounts and reports already there are read once, so a panel opened or
 * reloaded mid-lesson catches up; nothing ticks without a server event or the
 * teacher's hand.
 */
import { Observable, type Readable } from '../ui/observable.js';
import { LiveStream, type ConnectionState } from '../operator/live-stream.js';
import { OperatorApi, tokenFailure, type StreamEvent } from '../operator/operator-api.js';
import { tokenFromInput } from '../operator/token.js';
import type { AccessProblem } from '../operator/operator-model.js';
import type { LessonStep } from './lesson.js';
import { lessonEvents, type LessonEvent } from './lesson-events.js';
import { EMPTY_PROGRESS, isDone, observe, parseProgress, setByHand, type LessonProgress } from './lesson-progress.js';

export type LessonAccess =
  | { readonly kind: 'needs-token'; readonly problem: AccessProblem | null }
  | { readonly kind: 'checking' }
  | { readonly kind: 'open' };

export interface LessonSnapshot {
  readonly access: LessonAccess;
  readonly connection: ConnectionState;
  readonly progress: LessonProgress;
  /** The step on screen (an index into the steps). */
  readonly current: number;
  /** The latest tick the server's events made, in words, for screen readers ("Step 2 done: …"); null before any. */
  readonly announcement: string | null;
}

/** Where the panel keeps what it needs between reloads (sessionStorage in the browser; memory in tests). */
export interface LessonKeeper {
  rememberToken(token: string): void;
  forgetToken(): void;
  loadProgress(): string | null;
  saveProgress(text: string): void;
}

export class LessonModel {
  readonly #state: Observable<LessonSnapshot>;
  readonly state: Readable<LessonSnapshot>;
  #stream: LiveStream | null = null;
  #lastSeq: number | null = null;
  #generation = 0;

  constructor(
    readonly steps: readonly LessonStep[],
    private readonly keeper: LessonKeeper,
    private readonly baseUrl = '',
  ) {
    this.#state = new Observable<LessonSnapshot>({
      access: { kind: 'needs-token', problem: null },
      connection: { kind: 'stopped' },
      progress: parseProgress(keeper.loadProgress()),
      current: 0,
      announcement: null,
    });
    this.state = this.#state;
    this.#state.update((s) => ({ ...s, current: this.#firstNotDone(s.progress) }));
  }

  get snapshot(): LessonSnapshot {
    return this.#state.get();
  }

  /** Opens the panel with a token (the lesson link's, the operator page's, or pasted). */
  async open(input: string): Promise<void> {
    const token = tokenFromInput(input);
    if (!token) return this.#needToken('not-a-token');
    this.close();
    const generation = ++this.#generation;
    const api = new OperatorApi(this.baseUrl, token);
    this.#set({ access: { kind: 'checking' } });
    let existing: LessonEvent;
    try {
      // Proves the token, and catches up on what happened before the panel opened.
      const [{ accounts }, reports] = await Promise.all([api.accounts(), api.reports()]);
      existing = { kind: 'existing', accounts: accounts.length, reports: reports.reports.length };
    } catch (error) {
      if (generation !== this.#generation) return;
      return this.#needToken(tokenFailure(error));
    }
    if (generation !== this.#generation) return;
    this.keeper.rememberToken(token);
    this.#set({ access: { kind: 'open' } });
    this.#apply([existing]);
    const stream = new LiveStream(api, {
      after: () => this.#lastSeq ?? 0,
      onEvents: (events) => generation === this.#generation && this.#onStream(events),
      onState: (connection) => generation === this.#generation && this.#set({ connection }),
      onRefused: () => generation === this.#generation && this.#needToken('refused'),
    });
    this.#stream = stream;
    stream.start();
  }

  /** Shows step `index` (clamped). */
  go(index: number): void {
    this.#set({ current: Math.min(Math.max(index, 0), this.steps.length - 1) });
  }

  /** The teacher ticks or unticks a step by hand. */
  tick(stepId: string, done: boolean): void {
    this.#saveProgress(setByHand(this.snapshot.progress, stepId, done));
  }

  /** Starts the lesson's ticks over (the teacher's button; a reset of the class does it too). */
  startOver(): void {
    this.#saveProgress(EMPTY_PROGRESS);
    this.#set({ current: 0, announcement: null });
  }

  lock(): void {
    this.keeper.forgetToken();
    this.#needToken(null);
  }

  retryNow(): void {
    this.#stream?.retryNow();
  }

  close(): void {
    this.#generation++;
    this.#stream?.stop();
    this.#stream = null;
    this.#lastSeq = null;
  }

  #onStream(events: readonly StreamEvent[]): void {
    for (const event of events) if (event.type === 'envelope') this.#lastSeq = Math.max(this.#lastSeq ?? 0, event.envelope.seq);
    this.#apply(lessonEvents(events));
  }

  #apply(events: readonly LessonEvent[]): void {
    let progress = this.snapshot.progress;
    let announcement = this.snapshot.announcement;
    let current = this.snapshot.current;
    for (const event of events) {
      const observed = observe(this.steps, progress, event);
      if (observed.progress === EMPTY_PROGRESS && progress !== EMPTY_PROGRESS) {
        announcement = 'The class was reset: the lesson starts over.';
        current = 0;
      }
      progress = observed.progress;
      for (const step of observed.ticked) {
        const number = this.steps.indexOf(step) + 1;
        announcement = `Step ${number} done, ${step.title}: ${progress.evidence[step.id]}.`;
      }
    }
    this.#saveProgress(progress);
    this.#set({ announcement, current });
  }

  #firstNotDone(progress: LessonProgress): number {
    const index = this.steps.findIndex((step) => !isDone(progress, step.id));
    return index < 0 ? this.steps.length - 1 : index;
  }

  #saveProgress(progress: LessonProgress): void {
    if (progress === this.snapshot.progress) return;
    this.keeper.saveProgress(JSON.stringify(progress));
    this.#set({ progress });
  }

  #needToken(problem: AccessProblem | null): void {
    this.close();
    this.#set({ access: { kind: 'needs-token', problem }, connection: { kind: 'stopped' } });
  }

  #set(change: Partial<LessonSnapshot>): void {
    this.#state.update((current) => ({ ...current, ...change }));
  }
}
