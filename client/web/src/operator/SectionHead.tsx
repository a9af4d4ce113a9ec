/**
 * What every loaded section of the operator page shows the same way: its
 * heading with a Refresh button, and, under its explanation, why the last
 * request failed or that the first is still on its way.
 */
import type { SectionState } from './queries.js';

export interface SectionHeadProps {
  /** The heading's id (the section is labelled by it). */
  readonly id: string;
  readonly title: string;
  /** Names the Refresh button for tests: `${testId}-refresh`. */
  readonly testId: string;
  readonly section: Pick<SectionState<unknown>, 'loading'> & { readonly refresh: () => void };
}

export function SectionHead({ id, title, testId, section }: SectionHeadProps) {
  return (
    <div className="section-head">
      <h2 id={id}>{title}</h2>
      <button type="button" className="secondary" onClick={section.refresh} disabled={section.loading} data-testid={`${testId}-refresh`}>
        {section.loading ? 'Refreshing…' : 'Refresh'}
      </button>
    </div>
  );
}

export function SectionStatus({ section }: { readonly section: SectionState<unknown> }) {
  return (
    <>
      {section.error && <p className="warning">{section.error}</p>}
      {!section.data && !section.error && <p className="operator-muted">Loading…</p>}
    </>
  );
}
