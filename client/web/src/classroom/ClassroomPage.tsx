/**
 * The classroom: one pane per persona in this browser (Alice | Bob | …), the
 * address others open to join, and the way to the server's own view. The
 * page model lives outside React so StrictMode's double mount and re-renders
 * never open a second client for the same persona.
 */
import { useEffect } from 'react';
import { IndexedDbStore } from '../storage/indexeddb-store.js';
import { browserPersonaLocks } from '../storage/persona-lock.js';
import { PersonaRegistry } from '../storage/personas.js';
import { Explain } from '../ui/Explain.js';
import { LargeTextToggle } from '../ui/LargeTextToggle.js';
import { PolicyBanner } from '../ui/PolicyBanner.js';
import { PresentationToggle } from '../ui/PresentationToggle.js';
import { usePresentationMode } from '../ui/presentation-mode.js';
import { policyView, type PolicyView } from '../ui/policy-view.js';
import { SOURCES } from '../ui/sources.js';
import { ClassroomModel } from './classroom-model.js';
import { openBrowserClient } from './client-api.js';
import { JoinAddress } from './JoinAddress.js';
import { useObservable } from '../ui/observable.js';
import { PersonaPane } from './PersonaPane.js';
import './classroom.css';
import './presentation.css';

/** The line under the title, true to the mode in force. */
const TAGLINES: Record<PolicyView['kind'], string> = {
  'unknown-yet': 'A real end-to-end encrypted chat.',
  protected: 'A real end-to-end encrypted chat.',
  readable: 'A real chat, running without end-to-end encryption right now (see below).',
  'not-understood': 'A real chat, whose server announced a mode this app does not know (see below).',
};

/** Key escrow keeps end-to-end encryption, with a copy of each key for the escrow: not "without end-to-end encryption". */
const ESCROW_TAGLINE = 'A real end-to-end encrypted chat; right now every message also carries its key, sealed for a key escrow (see below).';

let classroom: ClassroomModel | null = null;

function classroomModel(): ClassroomModel {
  classroom ??= new ClassroomModel({
    openClient: openBrowserClient,
    registry: () => PersonaRegistry.open(),
    openStore: (name) => IndexedDbStore.open(name),
    lockPersona: browserPersonaLocks(),
    origin: window.location.origin,
    fetch: window.fetch.bind(window),
  });
  return classroom;
}

export default function ClassroomPage() {
  const model = classroomModel();
  useEffect(() => void model.start(), [model]);
  usePresentationMode();
  const snapshot = useObservable(model.state);
  const mode = policyView(snapshot.policy).kind;
  const escrow = snapshot.policy?.mode === 'key-escrow';

  return (
    <div className="classroom">
      <header className="classroom-header">
        <div className="classroom-title">
          <h1>Envelope</h1>
          <p className="tagline">
            {escrow ? ESCROW_TAGLINE : TAGLINES[mode]} Send a message, then open its <strong>X-ray</strong> to compare what you typed with what the server stored.
          </p>
        </div>
        <nav className="classroom-actions" aria-label="Page actions">
          <button type="button" className="secondary" data-testid="add-participant" onClick={() => void model.addParticipant()} disabled={snapshot.loading}>
            Add a participant
          </button>
          <a className="button-link secondary" href="/operator" target="_blank" rel="noreferrer" data-testid="operator-link">
            The server’s view
          </a>
          <a className="button-link secondary not-in-presentation" href="/scenario" target="_blank" rel="noreferrer" data-testid="scenario-link">
            The scenario
          </a>
          <LargeTextToggle />
          <PresentationToggle />
        </nav>
      </header>

      {/* Everything under the header is the page's main content (a landmark a screen reader can jump to). */}
      <main className="classroom-main">
        <PolicyBanner policy={snapshot.policy} />

        <section className="classroom-intro">
          <Explain title="What this demo shows" source={SOURCES.messengerDefaultE2ee} open={!snapshot.anyoneJoined}>
            <p>
              Each pane is one person with their own keys, made in this browser. Their private keys never leave it, so with end-to-end
              encryption the server in the middle only ever holds scrambled bytes, plus who wrote to whom, when and how much.
              {mode === 'readable' &&
                (escrow
                  ? ' Right now each message also carries its key sealed to an escrow key: the server still cannot read it, but any two of that key’s three holders together can. The banner above says so.'
                  : ' Right now the server’s mode lets it read what people write: the banner above says so.')}
            </p>
            <p>
              Try it: join as two people (use <em>Add a participant</em>, or a second device), add each other by name, and chat. Then press
              <em> X-ray</em> on a message.
            </p>
          </Explain>
          <JoinAddress join={snapshot.join} />
        </section>

        {snapshot.error && (
          <p className="warning" role="alert">
            {snapshot.error}
          </p>
        )}
        {snapshot.loading && <p className="page-loading">Loading…</p>}

        <div className="panes" data-count={snapshot.personas.length}>
          {snapshot.personas.map((persona) => (
            <PersonaPane key={persona.id} model={persona} onRemove={() => void model.remove(persona.id)} canRemove={snapshot.personas.length > 1} />
          ))}
        </div>
      </main>
    </div>
  );
}
