/**
 * The warrant answer as a document to hand over or print: the page's own
 * answer view (WarrantAnswerView, uncut) rendered to static markup in one
 * self-contained HTML file, with inline CSS and nothing else: no scripts, no
 * external resources, no links to load, so it opens the same anywhere,
 * offline. React escapes every value; usernames are restricted by the server,
 * but the document does not rely on that.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import type { Source } from '../../ui/sources.js';
import type { WarrantAnswer } from './schemas.js';
import { WarrantAnswerView } from './WarrantAnswerView.js';
import { WARRANT_CONTEXT } from './warrant-text.js';

/** Print-friendly, for the class names the answer view uses: serif body, tables that break across pages cleanly, long ciphertext wrapped. */
const STYLE = `
  body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; color: #111; margin: 2rem auto; max-width: 52rem; padding: 0 1rem; }
  h1 { font-size: 1.6rem; margin: 0 0 0.3rem; }
  h2 { font-size: 1.3rem; margin: 2rem 0 0.4rem; }
  h3 { font-size: 1.1rem; margin: 0 0 0.3rem; border-bottom: 1px solid #999; padding-bottom: 0.2rem; break-after: avoid; }
  h4 { font-size: 1rem; margin: 0.8rem 0 0.2rem; break-after: avoid; }
  .warrant-part { margin: 1.6rem 0; }
  .operator-muted { color: #333; font-style: italic; margin: 0 0 0.6rem; }
  .warrant-total { font-weight: bold; }
  table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; font-size: 0.9rem; }
  th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
  th { background: #eee; }
  tr, li, .warrant-device { break-inside: avoid; }
  .warrant-facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.4rem 0; }
  .warrant-facts dt { font-weight: bold; }
  .warrant-facts dd { margin: 0; }
  code { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 0.8rem; overflow-wrap: anywhere; word-break: break-all; }
  td code { display: block; }
  .warrant-bytes { display: block; background: #f4f4f4; border: 1px solid #ddd; padding: 0.3rem; margin: 0.2rem 0 0.6rem; white-space: pre-wrap; }
  .warrant-envelopes li { margin-bottom: 0.4rem; }
  .warrant-not-provided { border: 2px solid #111; padding: 0.5rem 1rem; margin-top: 1rem; break-inside: avoid; }
  .warrant-not-provided li { margin-bottom: 0.4rem; }
  .context { margin-top: 2rem; font-size: 0.95rem; }
  @media print { body { margin: 0; max-width: none; } }
`;

/** A source in print: its address written out, since the document links to nothing. */
function sourceText(source: Source): string {
  return source.href ? `${source.label} (${source.href})` : source.label;
}

export function WarrantDocument({ answer }: { readonly answer: WarrantAnswer }) {
  const title = `What the server holds about ${answer.account}`;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta httpEquiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {/* Our own constant, not a value from the answer. */}
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <header>
          <h1>{title}</h1>
          <p>
            Answer of the Envelope relay server to a request for the account <strong>{answer.account}</strong>. It lists everything the server holds
            about the account and ends with what it could not provide.
          </p>
        </header>
        <h2>The answer</h2>
        <WarrantAnswerView answer={answer} complete />
        <section className="context">
          <h2>Why this matters</h2>
          {WARRANT_CONTEXT.paragraphs.map((paragraph) => (
            <p key={paragraph}>{paragraph}</p>
          ))}
          <p>Sources:</p>
          <ul>
            {WARRANT_CONTEXT.sources.map((source) => (
              <li key={source.label}>{sourceText(source)}</li>
            ))}
          </ul>
        </section>
      </body>
    </html>
  );
}

/** The whole answer as one self-contained HTML document. */
export function warrantDocument(answer: WarrantAnswer): string {
  return `<!doctype html>\n${renderToStaticMarkup(<WarrantDocument answer={answer} />)}\n`;
}

/** The file name an export is saved under: the account and the date (both safe characters). */
export function warrantFileName(answer: WarrantAnswer): string {
  const safe = answer.account.replace(/[^a-z0-9_-]/gi, '_');
  return `warrant-answer-${safe}-${new Date(answer.generatedAt).toISOString().slice(0, 10)}.html`;
}
