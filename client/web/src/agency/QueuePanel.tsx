/**
 * The agency's queue for one warrant: the copies, filling as messages arrive
 * (fetched again every two seconds). Each fetch asks only for rows after the
 * last one shown, so the audit log gets a line when new messages are handed
 * over, not one per poll. A screen reader hears the count when it changes.
 */
import { useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { QueuedMessage } from '@envelope/protocol';
import { agencyFailureText } from './agency-api.js';
import { MessageTable } from './MessageTable.js';
import { POLL_MS, useAgencyApi } from './queries.js';

export function QueuePanel({ warrantId }: { readonly warrantId: number | null }) {
  const api = useAgencyApi();
  /** What each warrant's queue has handed over so far, oldest first. */
  const shown = useRef(new Map<number, QueuedMessage[]>());
  const queue = useQuery({
    queryKey: ['agency', 'queue', warrantId],
    queryFn: async () => {
      const id = warrantId!;
      const have = shown.current.get(id) ?? [];
      const answer = await api.queue(id, have.at(-1)?.queueId ?? 0);
      const messages = [...have, ...answer.messages];
      shown.current.set(id, messages);
      return { ...answer, messages };
    },
    enabled: warrantId !== null,
    refetchInterval: POLL_MS,
  });
  const data = queue.data;
  return (
    <section className="panel operator-section agency-queue" aria-labelledby="agency-queue-title" data-testid="agency-queue">
      <h2 id="agency-queue-title">
        Copied to the agency{data ? `: warrant ${data.warrant.id}, ${data.warrant.target}` : ''}
      </h2>
      {warrantId === null && <p className="muted">Enter a warrant, or pick one with “Show copied messages”, to see what is copied.</p>}
      {queue.error && <p className="warning">{agencyFailureText(queue.error)}</p>}
      {data && (
        <>
          <p role="status" data-testid="agency-queue-count">
            {data.total === 0
              ? `Nothing copied yet. Messages to or from ${data.warrant.target} appear here as they are sent.`
              : `${data.total} ${data.total === 1 ? 'message' : 'messages'} copied${data.warrant.endedAt === null ? ' so far' : ' before the warrant ended'}.`}
          </p>
          {data.messages.length > 0 && <MessageTable messages={data.messages} caption={`Messages copied under warrant ${data.warrant.id}`} testId="agency-queue-messages" />}
        </>
      )}
    </section>
  );
}
