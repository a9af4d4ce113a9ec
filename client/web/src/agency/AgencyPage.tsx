/**
 * The lawful-intercept console, at /agency: what an agency with its own token
 * reads when the server can read messages (transport-only; docs/lawful-access.md).
 * Opened with the "agency page" link the server prints at start-up (the token
 * rides in the fragment, which never reaches the server); without a valid
 * token it shows only the request for one. The operator's token does not
 * open it.
 */
import { useEffect, useMemo, useState } from 'react';
import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { LargeTextToggle } from '../ui/LargeTextToggle.js';
import { PolicyBanner } from '../ui/PolicyBanner.js';
import { AgencyApi, AgencyApiError } from './agency-api.js';
import { forgetAgencyToken, rememberAgencyToken, takeAgencyToken } from './agency-token.js';
import { watchFragmentTokens } from '../operator/token.js';
import { AgencyTokenRequest } from './AgencyTokenRequest.js';
import { AuditPanel } from './AuditPanel.js';
import { InsiderPanel, ForeignRequestNote } from './InsiderPanel.js';
import { PastPanel } from './PastPanel.js';
import { QueuePanel } from './QueuePanel.js';
import { AgencyApiContext, createAgencyQueryClient, POLICY_POLL_MS, useAgencyApi } from './queries.js';
import { WarrantsPanel } from './WarrantsPanel.js';
import { EscrowKeyPanel, EscrowOpenPanel } from './EscrowPanels.js';
import { EscrowLeakPanel } from './EscrowLeakPanel.js';
import '../operator/operator.css';
import './agency.css';

export default function AgencyPage() {
  const [token, setToken] = useState<string | null>(() => takeAgencyToken());
  const [refused, setRefused] = useState(false);
  /** The token the server has accepted; until then the sections stay closed (one request checks it, not one per section). */
  const [checked, setChecked] = useState<string | null>(null);
  useEffect(() => {
    document.title = 'Envelope: the lawful-intercept console';
    // A link opened in this tab after a refused one changes only the fragment: the page does not reload, so read it here.
    return watchFragmentTokens(takeAgencyToken, (given) => {
      setRefused(false);
      setToken(given);
    });
  }, []);
  const lock = (wasRefused: boolean) => {
    forgetAgencyToken();
    setRefused(wasRefused);
    setToken(null);
  };
  // One client per token: locking drops every answer the old token fetched.
  const queries = useMemo(() => (token ? createAgencyQueryClient(() => lock(true)) : null), [token]);
  const api = useMemo(() => (token ? new AgencyApi('', token) : null), [token]);
  useEffect(() => {
    if (!api || checked === api.token) return;
    let current = true;
    api.warrants().then(
      () => current && setChecked(api.token),
      (error: unknown) => {
        if (!current) return;
        if (error instanceof AgencyApiError && error.code === 'UNAUTHORIZED') lock(true);
        // Any other failure: open anyway, and let each section say what it could not load.
        else setChecked(api.token);
      },
    );
    return () => {
      current = false;
    };
  }, [api, checked]);

  if (token && api && checked !== token) {
    return (
      <main className="page-loading" aria-busy="true">
        Checking the agency token…
      </main>
    );
  }
  if (!token || !queries || !api) {
    return (
      <>
        <AgencyTokenRequest
          refused={refused}
          onSubmit={(given) => {
            rememberAgencyToken(given);
            setRefused(false);
            setToken(given);
          }}
        />
        <div className="operator-corner">
          <LargeTextToggle />
        </div>
      </>
    );
  }
  return (
    <QueryClientProvider client={queries}>
      <AgencyApiContext value={api}>
        <AgencyConsole onLock={() => lock(false)} />
      </AgencyApiContext>
    </QueryClientProvider>
  );
}

function AgencyConsole({ onLock }: { readonly onLock: () => void }) {
  const api = useAgencyApi();
  const policy = useQuery({ queryKey: ['agency', 'policy'], queryFn: () => api.policy(), refetchInterval: POLICY_POLL_MS });
  const [selected, setSelected] = useState<number | null>(null);
  const showQueue = (id: number) => {
    setSelected(id);
    document.getElementById('agency-queue-title')?.scrollIntoView({ block: 'start' });
  };
  const mode = policy.data?.mode;
  const escrow = [<EscrowKeyPanel key="key" />, <EscrowOpenPanel key="open" />, <EscrowLeakPanel key="leak" />];
  const intercept = [
    <WarrantsPanel key="warrants" selected={selected} onShowQueue={showQueue} />,
    <QueuePanel key="queue" warrantId={selected} />,
    <PastPanel key="past" />,
    <AuditPanel key="audit" />,
    <InsiderPanel key="insider" onShowQueue={showQueue} />,
    <ForeignRequestNote key="foreign" />,
  ];
  return (
    <div className="operator-page agency-page" data-testid="agency-page">
      <header className="page-header operator-header">
        <div>
          <h1>Lawful-intercept console</h1>
          <p className="operator-subtitle">What an agency reads through this server, with its own token (not the operator’s).</p>
        </div>
        <div className="operator-header-actions">
          <LargeTextToggle />
          <button type="button" className="secondary" onClick={onLock} title="Hide this console; the agency token is needed to open it again">
            Lock
          </button>
        </div>
      </header>
      <PolicyBanner policy={policy.data ?? null} audience="observer" />
      {mode === 'e2ee' && (
        <p className="agency-e2ee-note" data-testid="agency-e2ee-note">
          The server is in end-to-end encryption now: it has no text to copy, so a warrant entered now copies nothing until the operator
          switches to “transport encryption only”. What earlier modes left readable is still here.
        </p>
      )}
      {mode === 'key-escrow' && (
        <p className="agency-e2ee-note" data-testid="agency-escrow-note">
          The server is in key escrow now: it reads nothing itself, so a warrant copies nothing. The agency opens what the server keeps with two of
          the three shares of the escrow key, below.
        </p>
      )}
      {/* In key escrow its sections come first (what a class looks at); otherwise after the intercept console's. */}
      <main className="agency-grid">{mode === 'key-escrow' ? [...escrow, ...intercept] : [...intercept, ...escrow]}</main>
    </div>
  );
}
