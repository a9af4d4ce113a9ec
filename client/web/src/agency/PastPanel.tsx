/**
 * The retained past (retrospective access): everything the server still
 * keeps of one person's messages, from before any warrant.
 */
import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Explain } from '../ui/Explain.js';
import { agencyFailureText } from './agency-api.js';
import { MessageTable } from './MessageTable.js';
import { useAgencyApi } from './queries.js';

export function PastPanel() {
  const api = useAgencyApi();
  const [text, setText] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const inputId = useId();
  // Fetched once per request (each read is an audit line), not polled.
  const past = useQuery({ queryKey: ['agency', 'past', asked], queryFn: () => api.retrospective(asked!), enabled: asked !== null, staleTime: Infinity, retry: false });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = text.trim();
    if (name === asked) void past.refetch();
    else setAsked(name);
  };
  const data = past.data;
  return (
    <section className="panel operator-section agency-past" aria-labelledby="agency-past-title" data-testid="agency-past">
      <h2 id="agency-past-title">The retained past</h2>
      <Explain title="What is this?">
        <p>
          Everything the server still keeps of one person’s messages, written before any warrant: this is <strong>retrospective</strong> access.
          It exists only because the server keeps the text; with end-to-end encryption there is none.
        </p>
      </Explain>
      <form className="agency-form" onSubmit={submit}>
        <label htmlFor={inputId}>Person (username)</label>
        <input id={inputId} value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" spellCheck={false} required data-testid="past-target" />
        <button type="submit" disabled={text.trim() === '' || past.isFetching} data-testid="past-submit">
          {past.isFetching ? 'Reading…' : 'Read the past'}
        </button>
      </form>
      {past.error && (
        <p className="warning" role="alert">
          {agencyFailureText(past.error)}
        </p>
      )}
      {data && (
        <>
          <p role="status" data-testid="past-count">
            {data.total === 0
              ? `The server keeps no readable message of ${data.target}.`
              : `${data.total} ${data.total === 1 ? 'message' : 'messages'} of ${data.target} kept by the server (it keeps them ${data.retentionDays} days)${data.messages.length < data.total ? `; the newest ${data.messages.length} shown` : ''}.`}
          </p>
          {data.messages.length > 0 && <MessageTable messages={data.messages} caption={`Messages of ${data.target} the server keeps`} testId="past-messages" />}
        </>
      )}
    </section>
  );
}
