/**
 * The "Warrant request" section of the operator page: which account is
 * picked, the request for its answer (asked only when the operator asks), and
 * the export, with the note that says why this answer matters.
 */
import { useState } from 'react';
import { Explain } from '../../ui/Explain.js';
import { useSection, type SectionState } from '../queries.js';
import { warrantFor } from '../sections.js';
import type { WarrantAnswer } from './schemas.js';
import { downloadWarrantAnswer } from './warrant-download.js';
import { WARRANT_CONTEXT } from './warrant-text.js';
import { WarrantView, type WarrantRequest } from './WarrantView.js';
import './warrant.css';

function requestState(requested: string | null, answer: SectionState<WarrantAnswer>): WarrantRequest {
  if (requested === null) return { status: 'idle' };
  if (answer.loading) return { status: 'loading', username: requested };
  if (answer.error !== null) return { status: 'failed', username: requested, message: answer.error };
  if (answer.data) return { status: 'ready', username: requested, answer: answer.data };
  return { status: 'loading', username: requested };
}

export function WarrantSection({ accounts }: { readonly accounts: readonly string[] }) {
  const [selected, setSelected] = useState<string | null>(null);
  const [requested, setRequested] = useState<string | null>(null);
  const answer = useSection(warrantFor(requested ?? ''), requested !== null);
  const request = requestState(requested, answer);
  return (
    <section className="panel operator-section operator-warrant-section" aria-labelledby="operator-warrant-title" data-testid="warrant-section">
      <h2 id="operator-warrant-title">Warrant request</h2>
      <Explain title="What is this?">
        <p>
          An investigator with a warrant asks the operator for everything it holds about one person. Pick an account to see the whole answer
          this server could give, then export it as a document to hand over or print. It ends with what the server could not provide, and why.
        </p>
        {WARRANT_CONTEXT.paragraphs.map((paragraph) => (
          <p key={paragraph}>{paragraph}</p>
        ))}
        <p className="explain-source">Sources: {WARRANT_CONTEXT.sources.map((source) => source.label).join('; ')}.</p>
      </Explain>
      <WarrantView
        selected={selected}
        request={request}
        accounts={accounts}
        onSelect={setSelected}
        onRequest={() => {
          if (!selected) return;
          // The same account again asks the server again (its answer may have changed); another one is a new request.
          if (selected === requested) answer.refresh();
          else setRequested(selected);
        }}
        onExport={() => {
          if (request.status === 'ready') downloadWarrantAnswer(request.answer);
        }}
      />
    </section>
  );
}
