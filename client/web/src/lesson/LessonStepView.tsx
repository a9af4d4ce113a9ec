/**
 * One step of the lesson on the presenter panel: its check first (ticked by
 * the server's events, or by hand), then what to show, what to say with its
 * sources, and the question for the class.
 */
import { useId, type RefObject } from 'react';
import type { LessonStep } from './lesson.js';

export interface LessonStepViewProps {
  readonly step: LessonStep;
  readonly number: number;
  readonly total: number;
  readonly done: boolean;
  /** What the server saw that ticked the check, in words; null before. */
  readonly evidence: string | null;
  /** The teacher's hand overrides what the events say. */
  readonly byHand: boolean;
  readonly headingRef: RefObject<HTMLHeadingElement | null>;
  readonly onTick: (done: boolean) => void;
  readonly onPrevious: (() => void) | null;
  readonly onNext: (() => void) | null;
}

function checkNote(done: boolean, evidence: string | null, byHand: boolean): string {
  if (byHand) return done ? 'Ticked by hand.' : `Unticked by hand${evidence ? ` (the server saw: ${evidence})` : ''}.`;
  if (evidence) return `The server saw it: ${evidence}.`;
  return 'Waiting for the server to see it happen (or tick it by hand).';
}

export function LessonStepView({ step, number, total, done, evidence, byHand, headingRef, onTick, onPrevious, onNext }: LessonStepViewProps) {
  const noteId = useId();
  return (
    <section className="panel lesson-step" aria-labelledby={`lesson-step-title-${step.id}`} data-testid="lesson-step" data-step={step.id}>
      <div className="lesson-step-head">
        <h2 id={`lesson-step-title-${step.id}`} ref={headingRef} tabIndex={-1}>
          <span className="lesson-step-number">
            Step {number} of {total}:
          </span>{' '}
          {step.title} <span className="lesson-minutes">({step.minutes} min)</span>
        </h2>
        <div className="lesson-nav">
          <button type="button" className="secondary" onClick={onPrevious ?? undefined} disabled={onPrevious === null} data-testid="lesson-previous">
            Previous step
          </button>
          <button type="button" onClick={onNext ?? undefined} disabled={onNext === null} data-testid="lesson-next">
            Next step
          </button>
        </div>
      </div>

      <div className={`lesson-check${done ? ' is-done' : ''}`} data-testid="lesson-check" data-done={done}>
        <label>
          <input type="checkbox" checked={done} onChange={(event) => onTick(event.target.checked)} aria-describedby={noteId} data-testid="lesson-check-box" />{' '}
          <strong>Check:</strong> {step.check.label}
        </label>
        <p id={noteId} className="lesson-check-note" data-testid="lesson-check-note">
          {checkNote(done, evidence, byHand)}
        </p>
      </div>

      <div className="lesson-columns">
        <div>
          <h3>Show</h3>
          <ul>
            {step.show.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <h3>Ask the class</h3>
          <p className="lesson-question" data-testid="lesson-question">
            {step.question}
          </p>
        </div>
        <div>
          <h3>Say</h3>
          <ul className="lesson-say">
            {step.say.map((sentence) => (
              <li key={sentence.text}>
                {sentence.text}
                {sentence.source && <span className="lesson-source"> Source: {sentence.source.label}.</span>}
              </li>
            ))}
          </ul>
        </div>
      </div>

    </section>
  );
}
