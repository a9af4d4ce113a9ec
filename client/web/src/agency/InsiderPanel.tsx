/**
 * Two of the console's costs, shown on the running server
 * (docs/lawful-access.md, "What it costs"):
 * - the insider (Athens 2004-05): a target added with no warrant and the audit
 *   line deleted; the target sees nothing, the audit log shows nothing, the
 *   queue fills. Clearly labelled as a demonstration of an attack.
 * - a foreign or abusive request: the console cannot tell a lawful reference
 *   from any other words, so it reads the same data.
 */
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Explain } from '../ui/Explain.js';
import { agencyFailureText } from './agency-api.js';
import { useAgencyApi } from './queries.js';
import { SOURCES } from '../ui/sources.js';

/** The reference the foreign-request demonstration types: no court, no country's law. */
export const FOREIGN_REFERENCE = 'request from a foreign intelligence service (no court order)';

export function InsiderPanel({ onShowQueue }: { readonly onShowQueue: (id: number) => void }) {
  const api = useAgencyApi();
  const client = useQueryClient();
  const [target, setTarget] = useState('');
  const inputId = useId();
  const insider = useMutation({
    mutationFn: () => api.insider(target.trim()),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: ['agency'] });
      onShowQueue(result.warrant.id);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    insider.mutate();
  };
  return (
    <section className="panel operator-section agency-attack" aria-labelledby="agency-insider-title" data-testid="agency-insider">
      <p className="agency-attack-label">Demonstration of an attack</p>
      <h2 id="agency-insider-title">The insider: a tap with no warrant and no trace</h2>
      <Explain title="What happened in Athens" source={SOURCES.athens}>
        <p>
          From about June 2004 to March 2005, software nobody had authorised ran inside Vodafone Greece’s Ericsson exchanges. It used the
          exchanges’ own lawful-interception feature to listen to the Prime Minister, ministers and about a hundred other officials, and sent
          their calls on to 14 prepaid “shadow” phones. Who did it was never found out.
        </p>
        <p>
          Here, the same thing on this server: someone with access to the console adds a person without any warrant and deletes the audit line
          the console wrote. The person’s app receives exactly what it received before, the audit log shows nothing, and still every new message
          is copied.
        </p>
      </Explain>
      <form className="agency-form" onSubmit={submit}>
        <label htmlFor={inputId}>Person to tap (username)</label>
        <input id={inputId} value={target} onChange={(e) => setTarget(e.target.value)} autoComplete="off" spellCheck={false} required data-testid="insider-target" />
        <button type="submit" className="danger" disabled={insider.isPending || target.trim() === ''} data-testid="insider-submit">
          Tap without a warrant and delete the audit line
        </button>
      </form>
      {insider.error && (
        <p className="warning" role="alert">
          {agencyFailureText(insider.error)}
        </p>
      )}
      {insider.data && (
        <p role="status" data-testid="insider-result">
          Tap number {insider.data.warrant.id} on {insider.data.warrant.target} is copying. The console wrote audit line {insider.data.deletedAuditSeq}{' '}
          and it was deleted: the log had {insider.data.auditLinesBefore} lines before and has {insider.data.auditLinesAfter} now. Send{' '}
          {insider.data.warrant.target} a message and watch “Copied to the agency”.
        </p>
      )}
    </section>
  );
}

export function ForeignRequestNote() {
  const api = useAgencyApi();
  const client = useQueryClient();
  const [target, setTarget] = useState('');
  const inputId = useId();
  const request = useMutation({
    mutationFn: () => api.openWarrant(target.trim(), FOREIGN_REFERENCE),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['agency'] }),
  });
  return (
    <section className="panel operator-section agency-attack" aria-labelledby="agency-foreign-title" data-testid="agency-foreign">
      <p className="agency-attack-label">What the console cannot tell</p>
      <h2 id="agency-foreign-title">A foreign or abusive request reads the same</h2>
      <Explain title="Why this matters" source={SOURCES.saltTyphoon}>
        <p>
          The console writes down whatever reference it is given: a court’s order number, the word “none”, or the name of another country’s
          intelligence service. It cannot tell them apart, and each one gets the same messages. Whoever reaches the console, lawfully or not, reads
          what a court order would.
        </p>
        <p>
          In 2024 the FBI and CISA said that hackers linked to China had broken into US telephone companies, including copying information that was
          subject to US law-enforcement requests made under court orders.
        </p>
      </Explain>
      <form
        className="agency-form"
        onSubmit={(event) => {
          event.preventDefault();
          request.mutate();
        }}
      >
        <label htmlFor={inputId}>Person (username)</label>
        <input id={inputId} value={target} onChange={(e) => setTarget(e.target.value)} autoComplete="off" spellCheck={false} required data-testid="foreign-target" />
        <button type="submit" className="secondary" disabled={request.isPending || target.trim() === ''} data-testid="foreign-submit">
          Enter it as a foreign service’s request
        </button>
      </form>
      {request.error && (
        <p className="warning" role="alert">
          {agencyFailureText(request.error)}
        </p>
      )}
      {request.data && (
        <p role="status" data-testid="foreign-result">
          Accepted as warrant {request.data.id}, with the reference “{request.data.reference}”. It copies exactly what a court’s warrant copies.
        </p>
      )}
    </section>
  );
}
