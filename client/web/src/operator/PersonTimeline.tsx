/**
 * One person's activity as the server logged it, newest first, in bursts:
 * when they wrote, to whom, how much. Opened from the graph or the table.
 */
import { useEffect, useRef } from 'react';
import { byteSize, clockTime, dateAndTime, plural } from './format.js';
import type { TimelineState } from './operator-model.js';
import type { Burst } from './timeline.js';

export interface PersonTimelineProps {
  readonly timeline: TimelineState | null;
  readonly onSelectPerson: (username: string) => void;
  readonly onClose: () => void;
}

export function PersonTimeline({ timeline, onSelectPerson, onClose }: PersonTimelineProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const username = timeline?.username ?? null;
  useEffect(() => {
    // Opened from far down the table: bring it into view and move focus to it.
    if (username) {
      heading.current?.focus({ preventScroll: true });
      heading.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
    }
  }, [username]);

  if (!timeline) {
    return (
      <p className="operator-empty" data-testid="operator-timeline-empty">
        Pick a person in the graph (or a row in the table) to see their timeline: everything the server logged about them, in order.
      </p>
    );
  }
  return (
    <div className="operator-timeline" data-testid="operator-timeline" data-username={timeline.username}>
      <div className="operator-timeline-head">
        <h3 ref={heading} tabIndex={-1}>
          {timeline.username}
        </h3>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      {timeline.status === 'loading' && <p className="operator-muted">Loading…</p>}
      {timeline.status === 'failed' && <p className="warning">{timeline.message}</p>}
      {timeline.status === 'ready' && <TimelineBody view={timeline.view} onSelectPerson={onSelectPerson} />}
    </div>
  );
}

function TimelineBody({ view, onSelectPerson }: { view: Extract<TimelineState, { status: 'ready' }>['view']; onSelectPerson: (username: string) => void }) {
  const { account } = view;
  return (
    <>
      <p className="operator-timeline-account">
        Account created {dateAndTime(account.createdAt)} · {plural(account.devices.length, 'device')}
        {account.ageBand && <> · says they are {account.ageBand} (never checked)</>}
      </p>
      {view.peers.length > 0 && (
        <p className="operator-timeline-peers">
          In contact with:{' '}
          {view.peers.map((tally, i) => (
            <span key={tally.peer ?? '\u0000hidden'}>
              {i > 0 && ', '}
              {tally.peer ? (
                <button type="button" className="operator-link-button" onClick={() => onSelectPerson(tally.peer!)}>
                  {tally.peer}
                </button>
              ) : (
                <span className="operator-hidden">hidden senders</span>
              )}{' '}
              <span className="operator-muted">
                ({tally.sent} sent, {tally.received} received{tally.receipts > 0 ? `, ${plural(tally.receipts, 'receipt')}` : ''})
              </span>
            </span>
          ))}
        </p>
      )}
      {view.bursts.length === 0 ? (
        <p className="operator-muted">No envelopes to or from {account.username} yet.</p>
      ) : (
        <ol className="operator-bursts" data-testid="operator-timeline-bursts">
          {view.bursts.map((burst) => (
            <BurstItem key={`${burst.events[0]!.seq}:${burst.direction}`} burst={burst} />
          ))}
        </ol>
      )}
    </>
  );
}

function BurstItem({ burst }: { burst: Burst }) {
  const when = burst.firstAt === burst.lastAt ? clockTime(burst.lastAt) : `${clockTime(burst.firstAt)}–${clockTime(burst.lastAt)}`;
  const who = burst.peer ?? 'a hidden sender';
  const noun = burst.receipts ? 'delivery receipt' : 'envelope';
  return (
    <li className={`operator-burst is-${burst.direction}`}>
      <span className="mono operator-burst-time">{when}</span>{' '}
      <span className="operator-burst-what">
        <span aria-hidden="true">{burst.direction === 'sent' ? '→ ' : '← '}</span>
        {burst.direction === 'sent' ? `sent ${plural(burst.envelopes, noun)} to ${who}` : `received ${plural(burst.envelopes, noun)} from ${who}`}
      </span>{' '}
      <span className="operator-muted">({byteSize(burst.bytes)})</span>
    </li>
  );
}
