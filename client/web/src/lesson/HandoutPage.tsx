/**
 * The student handout, at /lesson/handout: one printed A4 page with the
 * lesson's steps (lesson.ts, the same source as the presenter panel), what to
 * do in each, its question, and room for the answer. Needs no token: it holds
 * nothing of the server's.
 */
import { useEffect } from 'react';
import { LESSON_STEPS, LESSON_TITLE } from './lesson.js';
import './lesson-print.css';

export default function HandoutPage() {
  useEffect(() => {
    document.title = 'Envelope: student handout';
  }, []);
  return (
    <main className="lesson-print lesson-handout" data-testid="lesson-handout">
      <p className="print-only-hint print-hide">
        This page is made to be printed on one A4 page.{' '}
        <button type="button" onClick={() => window.print()}>
          Print the handout
        </button>
      </p>
      <header className="print-header">
        <h1>{LESSON_TITLE}</h1>
        <p className="print-fill">
          Name: <span className="print-blank" /> Date: <span className="print-blank short" />
        </p>
      </header>
      <p className="print-lead">
        Follow along on your own device. In each step, do what it says, then write your answer to its question. There are no wrong answers: say
        what you noticed.
      </p>
      <ol className="handout-steps">
        {LESSON_STEPS.map((step) => (
          <li key={step.id} className="handout-step" data-testid="handout-step">
            <h2>{step.title}</h2>
            <p className="handout-task">{step.task}</p>
            <p className="handout-question">{step.question}</p>
            <div className="handout-answer" aria-hidden="true" />
          </li>
        ))}
      </ol>
    </main>
  );
}
