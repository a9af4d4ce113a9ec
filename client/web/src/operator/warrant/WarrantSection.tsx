/**
 * The "Warrant request" section of the operator page: wires the warrant view
 * model to its view, with the note that says why this answer matters.
 */
import { useObservable } from '../../ui/observable.js';
import { Explain } from '../../ui/Explain.js';
import { downloadDocument } from './warrant-download.js';
import type { WarrantModel } from './warrant-model.js';
import { WARRANT_CONTEXT } from './warrant-text.js';
import { WarrantView } from './WarrantView.js';
import './warrant.css';

export function WarrantSection({ model, accounts }: { model: WarrantModel; accounts: readonly string[] }) {
  const snapshot = useObservable(model.state);
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
        snapshot={snapshot}
        accounts={accounts}
        onSelect={(username) => model.select(username)}
        onRequest={() => void model.request()}
        onExport={() => {
          const exported = model.exportDocument();
          if (exported) downloadDocument(exported);
        }}
      />
    </section>
  );
}
