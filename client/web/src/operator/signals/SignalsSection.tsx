/**
 * The "What the server can flag from metadata alone" section of the operator
 * page: one card per detector, with the note on the debate it answers; the
 * answer is fetched on opening, on Refresh, and as the live stream moves on.
 */
import { Explain } from '../../ui/Explain.js';
import { plural } from '../format.js';
import { DetectorCard } from './DetectorCard.js';
import { useFollowStream } from './follow-stream.js';
import { useSection } from '../queries.js';
import { SectionHead, SectionStatus } from '../SectionHead.js';
import { SIGNALS } from '../sections.js';
import { SIGNALS_CONTEXT } from './signals-text.js';
import './signals.css';

export interface SignalsSectionProps {
  /** The newest envelope the page has shown (the answer is fetched again when it covers less). */
  readonly lastSeq: number | null;
  readonly timeOf: (seq: number) => string | null;
  /** Opens that person's timeline (the page's own selection). */
  readonly onSelectPerson: (username: string) => void;
}

export function SignalsSection({ lastSeq, timeOf, onSelectPerson }: SignalsSectionProps) {
  const section = useSection(SIGNALS);
  useFollowStream(section, lastSeq);
  const signals = section.data;
  const flaggedCount = signals?.detectors.reduce((sum, detector) => sum + detector.flaggedTotal, 0) ?? 0;
  return (
    <section className="panel operator-section operator-signals-section" aria-labelledby="operator-signals-title" data-testid="signals-section">
      <SectionHead id="operator-signals-title" title="What the server can flag from metadata alone" testId="signals" section={section} />
      <Explain title="What is this?">
        {SIGNALS_CONTEXT.paragraphs.map((paragraph) => (
          <p key={paragraph}>{paragraph}</p>
        ))}
        <p className="explain-source">Sources: {SIGNALS_CONTEXT.sources.map((source) => source.label).join('; ')}.</p>
      </Explain>
      <SectionStatus section={section} />
      {signals && (
        <>
          <p className="signals-overview" data-testid="signals-overview">
            {plural(signals.detectors.length, 'check')} over {plural(signals.throughSeq, 'envelope')} so far;{' '}
            {flaggedCount === 0 ? 'nothing flagged.' : `${plural(flaggedCount, 'flag')} raised. Click a name for that person’s timeline.`}
          </p>
          <div className="signals-cards">
            {signals.detectors.map((detector) => (
              <DetectorCard key={detector.id} detector={detector} timeOf={timeOf} onSelectPerson={onSelectPerson} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
