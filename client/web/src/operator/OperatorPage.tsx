/**
 * The server's view, at /operator: what the relay holds and sees, live.
 * Opened with the link the server prints at start-up (the token is in the
 * fragment, which never reaches the server); without a valid token it shows
 * only the request for one. The model lives outside React, so StrictMode's
 * double mount and re-renders never open a second stream.
 */
import { useEffect } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { useObservable } from '../ui/observable.js';
import { Explain } from '../ui/Explain.js';
import { LargeTextToggle } from '../ui/LargeTextToggle.js';
import { PresentationToggle } from '../ui/PresentationToggle.js';
import { usePresentationMode } from '../ui/presentation-mode.js';
import { SOURCES } from '../ui/sources.js';
import { ConnectionBadge } from './ConnectionBadge.js';
import { EnvelopeStream } from './EnvelopeStream.js';
import { OperatorModel } from './operator-model.js';
import { OperatorApiContext } from './queries.js';
import { PersonTimeline } from './PersonTimeline.js';
import { StoredFields } from './StoredFields.js';
import { TalkGraph } from './TalkGraph.js';
import { totalEnvelopes } from './graph-state.js';
import { forgetToken, rememberToken, takeTokenFromLocation, watchFragmentTokens } from './token.js';
import { TokenRequest } from './TokenRequest.js';
import { clockTime } from './format.js';
import { SignalsSection } from './signals/SignalsSection.js';
import { ReportsSection } from './reports/ReportsSection.js';
import { WarrantSection } from './warrant/WarrantSection.js';
import { AccountsSection } from './accounts/AccountsSection.js';
import { PolicyBanner } from '../ui/PolicyBanner.js';
import { PlaintextNote } from './policy/PlaintextNote.js';
import { PolicySwitch } from './policy/PolicySwitch.js';
import { ScannerSection } from './content/ScannerSection.js';
import { sendersReadFromInside } from './content/content-state.js';
import { BreachSection } from './breach/BreachSection.js';
import { ResetClassSection } from './reset/ResetClassSection.js';
import './operator.css';
import './presentation.css';

let operator: OperatorModel | null = null;

function operatorModel(): OperatorModel {
  if (!operator) {
    operator = new OperatorModel({ keeper: { remember: rememberToken, forget: forgetToken } });
    const token = takeTokenFromLocation();
    if (token) void operator.open(token);
    // The operator link pasted into this tab later (the model lives as long as the tab, so this listener does too).
    const model = operator;
    watchFragmentTokens(takeTokenFromLocation, (given) => void model.open(given));
  }
  return operator;
}

export default function OperatorPage() {
  const model = operatorModel();
  const snapshot = useObservable(model.state);
  usePresentationMode();
  useEffect(() => {
    document.title = 'Envelope: what the server sees';
  }, []);

  if (snapshot.access.kind !== 'open') {
    return (
      <>
        <TokenRequest
          problem={snapshot.access.kind === 'needs-token' ? snapshot.access.problem : null}
          checking={snapshot.access.kind === 'checking'}
          onSubmit={(text) => void model.open(text)}
        />
        <div className="operator-corner">
          <LargeTextToggle />
        </div>
      </>
    );
  }

  const selectPerson = (username: string) => void model.selectPerson(username);
  /** For the sections further down: the timeline is up the page, so bring it into view, or the click seems to do nothing on a projector. */
  const showPerson = (username: string) => {
    selectPerson(username);
    document.getElementById('operator-timeline-title')?.scrollIntoView({ block: 'start' });
  };
  return (
    <QueryClientProvider client={model.queries}>
      <OperatorApiContext value={snapshot.access.api}>
        <div className="operator-page" data-testid="operator-page">
          {/* A keyboard user's first Tab: past the header's buttons, straight to what the server holds. */}
          <a className="skip-link" href="#operator-main">
            Skip to the server’s view
          </a>
          <header className="page-header operator-header">
            <div>
              <h1>What the server sees</h1>
              <p className="operator-subtitle">The Envelope server’s own view of everything it holds, live.</p>
            </div>
            <div className="operator-header-actions">
              <ConnectionBadge connection={snapshot.connection} onRetry={() => model.retryNow()} />
              {/* The same tab keeps the token, so the lesson's panel opens without asking for it. */}
              <a href="/lesson" className="operator-lesson-link" data-testid="lesson-link">
                Guided lesson
              </a>
              <a className="button-link secondary not-in-presentation" href="/scenario" target="_blank" rel="noreferrer" data-testid="scenario-link">
                The scenario
              </a>
              <LargeTextToggle />
              <PresentationToggle />
              <button type="button" className="secondary" onClick={() => model.forgetToken()} title="Hide this view; the token is needed to open it again">
                Lock
              </button>
            </div>
          </header>

          <main id="operator-main" tabIndex={-1} className="operator-main">
            <PolicyBanner policy={snapshot.policy} audience="observer" />
            <PlaintextNote policy={snapshot.policy} />
            {snapshot.loadError && <p className="warning">{snapshot.loadError}</p>}

            <div className="operator-grid">
              <section className="panel operator-section operator-policy-section" aria-labelledby="operator-policy-title" data-testid="policy-section">
                <h2 id="operator-policy-title">The server’s policy</h2>
                <PolicySwitch policy={snapshot.policy} onRefresh={() => model.refreshPolicy()} onSwitch={(mode, checkBits) => model.switchPolicy(mode, checkBits)} />
              </section>

              <section className="panel operator-section operator-stream" aria-labelledby="operator-stream-title">
                <h2 id="operator-stream-title">Envelopes passing through the server</h2>
                <Explain title="What is this?">
                  <p>
                    Every row is one encrypted message passing through the server. The server can read what is written on the outside of the envelope:
                    when it came, who it is for, how big it is, and (unless the sender hid it) who sent it.
                  </p>
                  <p>
                    The last column shows the first bytes of the sealed contents. They look like random letters because they are: without the
                    recipient’s key nobody can turn them back into the message. Sizes are rounded up (padded), so they do not give the length of the text
                    away. When the recipient’s device confirms it has the message, the server deletes the contents and keeps only this row. A message nobody
                    collects is deleted unread after a set number of days (the <code>mailbox</code> table below says how many).
                  </p>
                  <p>
                    “First contact” marks the opening messages of a new conversation, which also carry the keys to start it (so they are bigger); the
                    server can tell them apart by their format, not by what they say. Click a row, or press Enter on it, for that person’s timeline.
                  </p>
                  <p>
                    The <em>Mode</em> column says how each envelope was sent. “server reads it” means the server opened it: instead of scrambled bytes,
                    the last column shows the text it read, and any rule of the content scanner it matched.
                  </p>
                </Explain>
                <EnvelopeStream feed={snapshot.feed} content={snapshot.content} onSelectPerson={selectPerson} total={totalEnvelopes(snapshot.graph)} />
              </section>

              <section className="panel operator-section operator-graph-section" aria-labelledby="operator-graph-title">
                <h2 id="operator-graph-title">Who talks to whom</h2>
                <Explain title="What is this?" source={SOURCES.messengerDefaultE2ee}>
                  <p>
                    The server drew this map without opening a single message: only from the outside of the envelopes. It shows who is in contact,
                    how often, and (in the timeline) when.
                  </p>
                  <p>
                    The UK’s National Crime Agency said such metadata alone “will rarely, if ever” be enough for a warrant. Yet a map like this can tell a
                    lot about a group: who is at its centre, who only talks to one person, who is suddenly busy at night.
                  </p>
                </Explain>
                <TalkGraph
                  picture={snapshot.picture}
                  selected={snapshot.timeline?.username ?? null}
                  onSelectPerson={selectPerson}
                  readFromInside={sendersReadFromInside(snapshot.content)}
                  onBox={(box) => model.setGraphBox(box)}
                />
              </section>

              <section className="panel operator-section operator-timeline-section" aria-labelledby="operator-timeline-title">
                <h2 id="operator-timeline-title">One person’s timeline</h2>
                <Explain title="What is this?">
                  <p>
                    Everything the server logged about one person, newest first: when they sent or received, with whom, and how much. Runs of messages
                    close together are grouped, the way a reader of these logs sees a conversation.
                  </p>
                </Explain>
                <PersonTimeline timeline={snapshot.timeline} onSelectPerson={selectPerson} onClose={() => model.closeTimeline()} />
              </section>

              <AccountsSection onSelectPerson={showPerson} />

              <ReportsSection policy={snapshot.policy} onSelectPerson={showPerson} />

              <SignalsSection
                lastSeq={snapshot.feed.lastSeq}
                timeOf={(seq) => {
                  const row = snapshot.feed.rows.find((r) => r.seq === seq);
                  return row ? clockTime(row.sentAt) : null;
                }}
                onSelectPerson={showPerson}
              />

              <ScannerSection content={snapshot.content} policy={snapshot.policy} onRulesChanged={() => void model.reloadContent()} onSelectPerson={showPerson} />

              <section className="panel operator-section operator-schema-section" aria-labelledby="operator-schema-title">
                <h2 id="operator-schema-title">Everything the server stores</h2>
                <Explain title="What is this?" source={SOURCES.policeDeclaration}>
                  <p>
                    Every table and column in the server’s database, read from the database itself, so nothing can be left off. This is all the server
                    could hand over if asked. While every message is end-to-end encrypted, no column holds what people wrote: the only message contents
                    are the sealed envelopes in <code>mailbox.body</code>, kept until delivery (or, if nobody collects them, for the days the{' '}
                    <code>mailbox</code> table states).
                  </p>
                  <p>
                    The tables from <code>policy</code> on exist for the modes that let the server read: <code>content_log.text</code> is where it keeps
                    what people wrote, for as long as it keeps metadata. It stays empty while the mode is end-to-end encryption.
                  </p>
                  <p>
                    <code>escrow_retained</code> exists for key escrow: there the server keeps every message after delivery, still encrypted, with its
                    key sealed to the escrow key, so that the holders of the key’s shares can open it later.
                  </p>
                  <p>European police chiefs have asked for “lawful access” to content; with end-to-end encryption the operator has no content to give.</p>
                </Explain>
                {snapshot.policy?.mode === 'key-escrow' && (
                  <p className="operator-note operator-escrow-cost" data-testid="operator-escrow-cost">
                    <strong>Key escrow is on: the server now keeps every message after delivery</strong>, in <code>escrow_retained</code> (marked
                    below), for as long as it keeps the metadata. It cannot read them itself. Anyone with two of the three key shares opens every one,
                    however old.
                  </p>
                )}
                <StoredFields
                  stored={snapshot.stored}
                  cost={snapshot.policy?.mode === 'key-escrow' ? { table: 'escrow_retained', label: 'Filled now: the cost of key escrow.' } : null}
                />
              </section>

              <BreachSection />

              <WarrantSection accounts={snapshot.graph.nodes.map((node) => node.username)} />

              <ResetClassSection accounts={snapshot.graph.nodes.map((node) => node.username)} />
            </div>
          </main>
        </div>
      </OperatorApiContext>
    </QueryClientProvider>
  );
}
