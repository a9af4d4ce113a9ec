/**
 * Enter a warrant (a target and a reference) and see the warrants entered:
 * from the moment one is entered, the target's messages are copied to the
 * agency (prospective access). The console records the reference; it cannot
 * check it.
 */
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InterceptWarrant } from '@envelope/protocol';
import { Explain } from '../ui/Explain.js';
import { agencyFailureText } from './agency-api.js';
import { POLL_MS, useAgencyApi } from './queries.js';
import { SOURCES } from '../ui/sources.js';
import { when } from './when.js';

export interface WarrantsPanelProps {
  readonly selected: number | null;
  readonly onShowQueue: (id: number) => void;
}

export function WarrantsPanel({ selected, onShowQueue }: WarrantsPanelProps) {
  const api = useAgencyApi();
  const client = useQueryClient();
  const warrants = useQuery({ queryKey: ['agency', 'warrants'], queryFn: () => api.warrants(), refetchInterval: POLL_MS });
  const [target, setTarget] = useState('');
  const [reference, setReference] = useState('');
  const targetId = useId();
  const referenceId = useId();
  const refresh = () => void client.invalidateQueries({ queryKey: ['agency'] });
  const open = useMutation({
    mutationFn: () => api.openWarrant(target.trim(), reference.trim()),
    onSuccess: (warrant) => {
      setTarget('');
      setReference('');
      refresh();
      onShowQueue(warrant.id);
    },
  });
  const end = useMutation({ mutationFn: (id: number) => api.endWarrant(id), onSuccess: refresh });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    open.mutate();
  };

  return (
    <section className="panel operator-section agency-warrants" aria-labelledby="agency-warrants-title" data-testid="agency-warrants">
      <h2 id="agency-warrants-title">Warrants</h2>
      <Explain title="What is this?" source={SOURCES.prospective}>
        <p>
          A warrant names one person. From the moment it is entered, every message to or from that person that the server can read is copied to
          the agency: this is <strong>prospective</strong> access, to what is written from now on. The agency keeps its copy even after the
          server deletes the original.
        </p>
        <p>The console writes down the reference you type. It has no way to check that a court really issued it.</p>
      </Explain>
      <form className="agency-form" onSubmit={submit} aria-describedby={open.error ? `${targetId}-problem` : undefined}>
        <label htmlFor={targetId}>Person (username)</label>
        <input id={targetId} value={target} onChange={(e) => setTarget(e.target.value)} autoComplete="off" spellCheck={false} required data-testid="warrant-target" />
        <label htmlFor={referenceId}>Warrant reference</label>
        <input
          id={referenceId}
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          placeholder="for example: court order 2026-17"
          maxLength={200}
          required
          data-testid="warrant-reference"
        />
        <button type="submit" disabled={open.isPending || target.trim() === '' || reference.trim() === ''} data-testid="warrant-submit">
          {open.isPending ? 'Entering…' : 'Start copying'}
        </button>
      </form>
      {open.error && (
        <p id={`${targetId}-problem`} className="warning" role="alert" data-testid="warrant-problem">
          {agencyFailureText(open.error)}
        </p>
      )}
      {warrants.error && <p className="warning">{agencyFailureText(warrants.error)}</p>}
      {warrants.data && warrants.data.length === 0 && <p className="muted">No warrant has been entered yet.</p>}
      {warrants.data && warrants.data.length > 0 && (
        <table className="agency-table" data-testid="warrant-list">
          <caption className="visually-hidden">Warrants entered, newest first</caption>
          <thead>
            <tr>
              <th scope="col">No.</th>
              <th scope="col">Person</th>
              <th scope="col">Reference</th>
              <th scope="col">Started</th>
              <th scope="col">Copied</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {warrants.data.map((warrant) => (
              <WarrantRow key={warrant.id} warrant={warrant} selected={warrant.id === selected} onShowQueue={onShowQueue} onEnd={() => end.mutate(warrant.id)} />
            ))}
          </tbody>
        </table>
      )}
      {end.error && <p className="warning" role="alert">{agencyFailureText(end.error)}</p>}
    </section>
  );
}

function WarrantRow({ warrant, selected, onShowQueue, onEnd }: { warrant: InterceptWarrant; selected: boolean; onShowQueue: (id: number) => void; onEnd: () => void }) {
  return (
    <tr className={selected ? 'is-selected' : undefined} data-testid="warrant-row" data-warrant={warrant.id}>
      <td>{warrant.id}</td>
      <td>
        <strong>{warrant.target}</strong>
      </td>
      <td>
        {warrant.reference ?? (
          <span className="agency-no-reference">No reference: added without a warrant (by “{warrant.requestedBy}”)</span>
        )}
      </td>
      <td>
        {when(warrant.createdAt)}
        {warrant.endedAt !== null && <div className="muted">ended {when(warrant.endedAt)}</div>}
      </td>
      <td>{warrant.copied}</td>
      <td className="agency-actions">
        <button type="button" className="secondary" onClick={() => onShowQueue(warrant.id)} aria-pressed={selected}>
          Show copied messages<span className="visually-hidden"> of warrant {warrant.id}</span>
        </button>
        {warrant.endedAt === null && (
          <button type="button" className="secondary" onClick={onEnd}>
            End<span className="visually-hidden"> warrant {warrant.id}</span>
          </button>
        )}
      </td>
    </tr>
  );
}
