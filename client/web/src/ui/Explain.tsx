/**
 * A short plain-language note beside a view: what it shows and why it matters.
 * Open by default so a first-time visitor sees it; one click folds it away.
 * `source` cites the reporting the note relies on (../shared/context).
 */
import type { ReactNode } from 'react';

export interface ExplainProps {
  title: string;
  children: ReactNode;
  source?: { label: string; href: string };
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
            <a href={source.href} target="_blank" rel="noreferrer">
              {source.label}
            </a>
          </p>
        )}
      </div>
    </details>
  );
}
