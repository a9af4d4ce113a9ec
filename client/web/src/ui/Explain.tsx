/**
 * A short plain-language note beside a view: what it shows and why it matters.
 * Open by default so a first-time visitor sees it; one click folds it away.
 * `source` cites the reporting the note relies on (an entry of ui/sources.ts).
 */
import type { ReactNode } from 'react';
import type { Source } from './sources.js';

export interface ExplainProps {
  title: string;
  children: ReactNode;
  /** A report from ui/sources.ts; linked when it has an address. */
  source?: Source;
  open?: boolean;
}

export function Explain({ title, children, source, open = true }: ExplainProps) {
  return (
    <details className="explain" open={open}>
      <summary>{title}</summary>
      <div className="explain-body">
        {children}
        {source && (
          <p className="explain-source">
            Source:{' '}
            {source.href ? (
              <a href={source.href} target="_blank" rel="noreferrer">
                {source.label}
              </a>
            ) : (
              source.label
            )}
          </p>
        )}
      </div>
    </details>
  );
}
