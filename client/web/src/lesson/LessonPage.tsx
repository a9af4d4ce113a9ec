/**
 * The presenter panel, at /lesson: the guided lesson's steps, each with what
 * to show, what to say (with its sources), the question for the class and the
 * check that ticks itself from the server's live events (lesson-model.ts).
 * Opened with the operator token, like the server's view, because those events
 * are the operator's. Links to the printable handout and teacher sheet.
 */
import { useEffect, useRef } from 'react';
import { useObservable } from '../ui/observable.js';
import { LargeTextToggle } from '../ui/LargeTextToggle.js';
import { PresentationToggle } from '../ui/PresentationToggle.js';
import { usePresentationMode } from '../ui/presentation-mode.js';
import { TokenForm } from '../ui/TokenForm.js';
import { forgetToken, rememberToken, takeTokenFromLocation, watchFragmentTokens } from '../operator/token.js';
import type { ConnectionState } from '../operator/live-stream.js';
import { LESSON_MINUTES, LESSON_STEPS, LESSON_TITLE } from './lesson.js';
import { LessonModel } from './lesson-model.js';
import { isDone } from './lesson-progress.js';
import { LessonStepView } from './LessonStepView.js';
import { LESSON_PROGRESS_KEY } from './progress-storage.js';
import './lesson.css';

let lesson: LessonModel | null = null;

function lessonModel(): LessonModel {
  if (!lesson) {
    lesson = new LessonModel(LESSON_STEPS, {
      rememberToken,
      forgetToken,
      loadProgress: () => sessionStorage.getItem(LESSON_PROGRESS_KEY),
      saveProgress: (text) => sessionStorage.setItem(LESSON_PROGRESS_KEY, text),
    });
    const model = lesson;
    const token = takeTokenFromLocation();
    if (token) void model.open(token);
    watchFragmentTokens(takeTokenFromLocation, (given) => void model.open(given));
  }
  return lesson;
}

const REFUSED: Record<string, string> = {
  refused: 'The server refused that token. Copy the lesson link (or the operator token) again from the terminal where the server was started.',
  'not-a-token': 'That does not look like an operator token or link. The link ends in “#token=” followed by letters and digits.',
  unreachable: 'The server did not answer, so the token could not be checked. Is the server still running?',
};

function connectionWords(connection: ConnectionState): string {
  switch (connection.kind) {
    case 'live':
      return 'Live: steps tick as the server sees them happen';
    case 'waiting':
      return `Connection lost (${connection.reason}); trying again…`;
    default:
      return 'Connecting to the server’s live events…';
  }
}

export default function LessonPage() {
  const model = lessonModel();
  const s = useObservable(model.state);
  usePresentationMode();
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useRef(s.current);
  useEffect(() => {
    document.title = 'Envelope: guided lesson';
  }, []);
  // Moving to another step puts the focus on its title, so a screen reader reads the new step from its start.
  useEffect(() => {
    if (shown.current !== s.current) heading.current?.focus();
    shown.current = s.current;
  }, [s.current]);

  if (s.access.kind !== 'open') {
    return (
      <main className="lesson-locked" data-testid="lesson-token-request">
        <h1>Guided lesson</h1>
        <div className="panel">
          <p>
            The presenter panel ticks each step from what the server sees, so it needs the <strong>operator token</strong>. When the server started
            it printed <code>lesson page: http://…/lesson#token=…</code>: open that link, or paste it (or the operator link, or the token) here.
          </p>
          <TokenForm
            label="Lesson link or operator token"
            submitLabel="Open the lesson"
            problem={s.access.kind === 'needs-token' && s.access.problem ? (REFUSED[s.access.problem] ?? null) : null}
            checking={s.access.kind === 'checking'}
            testId="lesson-token"
            onSubmit={(text) => void model.open(text)}
          />
          <p>
            The <a href="/lesson/handout">student handout</a> and the <a href="/lesson/teacher">teacher sheet</a> need no token.
          </p>
        </div>
      </main>
    );
  }

  const steps = model.steps;
  const done = steps.filter((step) => isDone(s.progress, step.id)).length;
  const step = steps[s.current]!;
  return (
    <div className="lesson-page" data-testid="lesson-page">
      <header className="page-header lesson-header">
        <div>
          <h1>Guided lesson</h1>
          <p className="lesson-subtitle">
            {LESSON_TITLE}. About {LESSON_MINUTES} minutes.{' '}
            <span data-testid="lesson-done-count">
              {done} of {steps.length} steps done.
            </span>
          </p>
        </div>
        <div className="lesson-header-actions">
          <p className={`lesson-connection is-${s.connection.kind}`} data-testid="lesson-connection" data-state={s.connection.kind}>
            {connectionWords(s.connection)}
            {s.connection.kind === 'waiting' && (
              <>
                {' '}
                <button type="button" className="secondary small" onClick={() => model.retryNow()}>
                  Retry now
                </button>
              </>
            )}
          </p>
          <nav aria-label="Lesson pages" className="lesson-links">
            <a href="/lesson/handout" target="_blank" rel="noreferrer" data-testid="handout-link">
              Student handout
            </a>
            <a href="/lesson/teacher" target="_blank" rel="noreferrer" data-testid="teacher-sheet-link">
              Teacher sheet
            </a>
            <a href="/operator">The server’s view</a>
          </nav>
          <LargeTextToggle />
          <PresentationToggle />
          <button type="button" className="secondary" onClick={() => model.lock()} title="Hide this panel; the token is needed to open it again">
            Lock
          </button>
        </div>
      </header>

      <main className="lesson-main">
        <nav aria-label="Steps" className="panel lesson-steps">
          <ol>
            {steps.map((item, index) => {
              const itemDone = isDone(s.progress, item.id);
              return (
                <li key={item.id}>
                  <button
                    type="button"
                    className={`lesson-step-button${index === s.current ? ' is-current' : ''}${itemDone ? ' is-done' : ''}`}
                    aria-current={index === s.current ? 'step' : undefined}
                    onClick={() => model.go(index)}
                    data-testid={`lesson-step-${item.id}`}
                    data-done={itemDone}
                  >
                    <span className="lesson-tick" aria-hidden="true">
                      {itemDone ? '✓' : index + 1}
                    </span>
                    <span className="lesson-step-name">{item.title}</span>
                    <span className="visually-hidden">{itemDone ? ', done' : ', not done yet'}</span>
                  </button>
                </li>
              );
            })}
          </ol>
          <button type="button" className="secondary small lesson-start-over" onClick={() => model.startOver()}>
            Untick every step
          </button>
        </nav>

        <LessonStepView
          step={step}
          number={s.current + 1}
          total={steps.length}
          done={isDone(s.progress, step.id)}
          evidence={s.progress.evidence[step.id] ?? null}
          byHand={step.id in s.progress.manual}
          headingRef={heading}
          onTick={(value) => model.tick(step.id, value)}
          onPrevious={s.current > 0 ? () => model.go(s.current - 1) : null}
          onNext={s.current < steps.length - 1 ? () => model.go(s.current + 1) : null}
        />
      </main>
      {/* Ticks the server's events make, said once each to a screen reader. */}
      <p className="visually-hidden" role="status" data-testid="lesson-announcement">
        {s.announcement}
      </p>
    </div>
  );
}
