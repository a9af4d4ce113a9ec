/**
 * The teacher sheet, at /lesson/teacher: the whole lesson on paper (lesson.ts,
 * the same source as the presenter panel and the handout): before class, then
 * each step with its minutes, what to show and say (with sources), the question
 * and what ticks its check on the panel; the sources in full; after class.
 */
import { useEffect } from 'react';
import { LESSON_MINUTES, LESSON_STEPS, LESSON_TITLE, lessonSources } from './lesson.js';
import './lesson-print.css';

export default function TeacherSheetPage() {
  useEffect(() => {
    document.title = 'Envelope: teacher sheet';
  }, []);
  let elapsed = 0;
  return (
    <main className="lesson-print lesson-teacher" data-testid="lesson-teacher-sheet">
      <p className="print-only-hint print-hide">
        <button type="button" onClick={() => window.print()}>
          Print the teacher sheet
        </button>
      </p>
      <header className="print-header">
        <h1>Teacher sheet: {LESSON_TITLE}</h1>
        <p>
          {LESSON_STEPS.length} steps, about {LESSON_MINUTES} minutes.
        </p>
      </header>
      <section className="teacher-block">
        <h2>Before class</h2>
        <ul>
          <li>
            Start the server with <code>HOST=0.0.0.0 npm start</code> so students can join from their devices; it prints the address, the
            operator page’s link and the <strong>lesson page</strong>’s link (<code>/lesson#token=…</code>).
          </li>
          <li>Open the lesson page on your laptop and the server’s view (the operator page) in another window for the projector.</li>
          <li>
            Print the student handout (<code>/lesson/handout</code>, one page each). Each step on the panel ticks itself when the server sees it
            happen; tick it by hand if you skip it or show it another way.
          </li>
        </ul>
      </section>
      {LESSON_STEPS.map((step, index) => {
        const start = elapsed;
        elapsed += step.minutes;
        return (
          <section key={step.id} className="teacher-block teacher-step" data-testid="teacher-step">
            <h2>
              {index + 1}. {step.title}{' '}
              <span className="teacher-time">
                ({step.minutes} min, minutes {start}–{elapsed})
              </span>
            </h2>
            <h3>Show</h3>
            <ul>
              {step.show.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <h3>Say</h3>
            <ul>
              {step.say.map((sentence) => (
                <li key={sentence.text}>
                  {sentence.text}
                  {sentence.source && <span className="teacher-source"> [{sentence.source.label}]</span>}
                </li>
              ))}
            </ul>
            <p>
              <strong>Students do:</strong> {step.task}
            </p>
            <p>
              <strong>Ask:</strong> {step.question}
            </p>
            <p>
              <strong>The panel ticks when:</strong> {step.check.label.charAt(0).toLowerCase() + step.check.label.slice(1)}.
            </p>
          </section>
        );
      })}
      <section className="teacher-block">
        <h2>After class</h2>
        <p>
          On the operator page, <strong>Reset the class</strong> deletes every account, message, log and report (export the envelope log or a
          warrant answer first if you want to keep them) and puts the server back in end-to-end encryption.
        </p>
      </section>
      <section className="teacher-block">
        <h2>Sources</h2>
        <ul>
          {lessonSources().map((source) => (
            <li key={source.label}>{source.label}</li>
          ))}
        </ul>
      </section>
    </main>
  );
}
