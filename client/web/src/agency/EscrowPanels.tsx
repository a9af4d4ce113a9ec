/**
 * Key escrow on the agency page (docs/lawful-access.md, "key-escrow"): who
 * holds which share of the escrow key and what the check width means; opening
 * one account's retained messages with the shares of the holders chosen (each
 * share fetched visibly: in this demo all share files sit on the server's
 * machine); and the leak, labelled as an attack, in EscrowLeakPanel.tsx.
 */
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type EscrowHolder, type EscrowOpenResult } from '@envelope/protocol';
import { Explain } from '../ui/Explain.js';
import { agencyFailureText } from './agency-api.js';
import { EscrowMessageTable } from './EscrowMessageTable.js';
import { checkWidthText, DEMO_SHARES_CAVEAT, HOLDER_WORDS, openSummary, refusalText, THRESHOLD_TEXT } from './escrow-text.js';
import { HolderChooser, HandoverList, useShareHandover } from './ShareHandover.js';
import { POLL_MS, useAgencyApi } from './queries.js';
import { SOURCES } from '../ui/sources.js';

export const ESCROW_STATUS_KEY = ['agency', 'escrow', 'status'] as const;

export function EscrowKeyPanel() {
  const api = useAgencyApi();
  const status = useQuery({ queryKey: ESCROW_STATUS_KEY, queryFn: () => api.escrowStatus(), refetchInterval: POLL_MS });
  const data = status.data;
  return (
    <section className="panel operator-section agency-escrow" aria-labelledby="agency-escrow-title" data-testid="agency-escrow-key">
      <h2 id="agency-escrow-title">Key escrow: who holds the key</h2>
      {status.error && <p className="warning">{agencyFailureText(status.error)}</p>}
      {data && !data.setUp && (
        <p className="agency-e2ee-note" data-testid="escrow-not-set-up">
          There is no escrow key yet. It is made, and split into three shares, the first time the operator switches the server to key escrow.
        </p>
      )}
      {data && data.setUp && (
        <>
          <ul className="escrow-holders" data-testid="escrow-holders">
            {data.holders.map(({ holder, file }) => (
              <li key={holder} data-holder={holder}>
                <strong>{HOLDER_WORDS[holder].name}</strong> {HOLDER_WORDS[holder].role}.
                <div className="muted">
                  Its share file: <code>{file}</code>
                </div>
              </li>
            ))}
          </ul>
          <p className="escrow-caveat" data-testid="escrow-demo-caveat">
            <strong>Demonstration only:</strong> {DEMO_SHARES_CAVEAT}
          </p>
          <Explain title="How the key was split">
            <p>
              When key escrow was switched on, the server made an escrow key, split its private half into three shares, and deleted it: the server
              keeps only the public half, which every app seals message keys to. {THRESHOLD_TEXT}
            </p>
          </Explain>
          <p data-testid="escrow-check-width">
            <strong>The check is {data.checkBits} bits wide.</strong> {checkWidthText(data.checkBits)}
          </p>
          <p className="explain-source">Source: {SOURCES.blaze1994.label}; {SOURCES.nistEesFactSheet.label}</p>
          <p data-testid="escrow-retained">
            The server keeps {data.retained} {data.retained === 1 ? 'message' : 'messages'} sent under key escrow, as ciphertext, after delivery, for{' '}
            {data.retentionDays} days: without them the escrow would have nothing to open.
          </p>
        </>
      )}
    </section>
  );
}

export function EscrowOpenPanel() {
  const api = useAgencyApi();
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [reference, setReference] = useState('');
  const [holders, setHolders] = useState<readonly EscrowHolder[]>(['court', 'agency']);
  const handover = useShareHandover();
  const nameId = useId();
  const referenceId = useId();
  const open = useMutation({
    mutationFn: async (): Promise<EscrowOpenResult> => {
      const shares = await handover.collect(holders);
      return api.escrowOpen(username.trim(), reference.trim(), shares);
    },
    onSettled: () => void client.invalidateQueries({ queryKey: ['agency', 'audit'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!open.isPending) open.mutate();
  };
  const data = open.data;
  const ready = username.trim() !== '' && reference.trim() !== '' && holders.length > 0;
  return (
    <section className="panel operator-section agency-escrow" aria-labelledby="agency-escrow-open-title" data-testid="agency-escrow-open">
      <h2 id="agency-escrow-open-title">Open an account’s retained messages</h2>
      <Explain title="How it works">
        <p>
          Name a person and the warrant’s reference, and choose which holders bring their shares. With two shares the key is rebuilt for this one
          request, every message the server kept to or from that person is opened, and the key is wiped again. Every opening, and every refusal,
          is written in the audit log.
        </p>
      </Explain>
      <form className="agency-form" onSubmit={submit}>
        <label htmlFor={nameId}>Person (username)</label>
        <input id={nameId} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" spellCheck={false} required data-testid="escrow-open-target" />
        <label htmlFor={referenceId}>Warrant reference</label>
        <input
          id={referenceId}
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          placeholder="for example: court order 2026-17"
          maxLength={200}
          required
          data-testid="escrow-open-reference"
        />
        <HolderChooser legend="Who brings their share" chosen={holders} onChange={setHolders} testId="escrow-open-holders" />
        {/* aria-disabled while opening: a disabled button would drop the keyboard focus. */}
        <button type="submit" disabled={!ready} aria-disabled={open.isPending} data-testid="escrow-open-submit">
          {open.isPending ? 'Opening…' : 'Bring the shares and open'}
        </button>
      </form>
      <HandoverList steps={handover.steps} testId="escrow-open-handover" />
      {open.error && (
        <p className="warning" role="alert" data-testid="escrow-open-refused">
          {refusalText(open.error, handover.steps.filter((step) => step.state === 'done').length)}
        </p>
      )}
      {data && (
        <>
          <p role="status" data-testid="escrow-open-summary">
            {openSummary(data.username, data.total, data.messages)}
          </p>
          {data.messages.length > 0 && (
            <EscrowMessageTable messages={data.messages} caption={`Retained messages of ${data.username}, opened with the escrow key`} testId="escrow-open-messages" />
          )}
        </>
      )}
    </section>
  );
}
