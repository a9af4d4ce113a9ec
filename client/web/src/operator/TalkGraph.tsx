/**
 * Who talks to whom, drawn from the metadata log alone: a circle per account
 * (bigger with more traffic), a line per pair who exchanged envelopes
 * (thicker with more). Each circle is a button: click or Enter opens that
 * person's timeline. Positions come from the view model (d3-force); this
 * only draws them.
 */
import type { KeyboardEvent } from 'react';
import { edgeWidth } from './graph-layout.js';
import type { GraphPicture, PersonDot } from './graph-state.js';
import { plural } from './format.js';

export interface TalkGraphProps {
  readonly picture: GraphPicture;
  readonly selected: string | null;
  readonly onSelectPerson: (username: string) => void;
  /** Hidden-sender envelopes whose sender the server read from inside (transport-only; content-state.ts). */
  readonly readFromInside?: number;
}

export function TalkGraph({ picture, selected, onSelectPerson, readFromInside = 0 }: TalkGraphProps) {
  if (picture.people.length === 0) {
    return (
      <p className="operator-empty" data-testid="operator-graph-empty">
        Nobody has an account yet. As soon as people join and write to each other, the server can draw who talks to whom.
      </p>
    );
  }
  return (
    <figure className="operator-graph" data-testid="operator-graph">
      <svg
        viewBox={`${picture.viewBox.x} ${picture.viewBox.y} ${picture.viewBox.width} ${picture.viewBox.height}`}
        role="group"
        aria-label={`Who talks to whom: ${plural(picture.people.length, 'person', 'people')}, ${plural(picture.lines.length, 'pair')} in contact`}
      >
        <g className="operator-graph-lines">
          {picture.lines.map(({ pair, from, to }) => (
            <g key={`${pair.a}\u0000${pair.b}`}>
              <line x1={from.x} y1={from.y} x2={to.x} y2={to.y} strokeWidth={edgeWidth(pair.total)}>
                <title>{`${pair.a} → ${pair.b}: ${pair.aToB}, ${pair.b} → ${pair.a}: ${pair.bToA}${pair.receipts > 0 ? ` (and ${plural(pair.receipts, 'receipt')}, not counted)` : ''}`}</title>
              </line>
              <text x={(from.x + to.x) / 2} y={(from.y + to.y) / 2} className="operator-graph-count" dy="0.35em">
                {pair.total}
              </text>
            </g>
          ))}
        </g>
        {picture.people.map((person) => (
          <PersonNode key={person.username} person={person} selected={person.username === selected} selfTalk={picture.selfTalk.get(person.username) ?? 0} onSelect={onSelectPerson} />
        ))}
      </svg>
      <figcaption>
        Circle size: envelopes sent and received. Line thickness and number: envelopes between the two.
        {picture.unattributed > 0 && (
          <>
            {' '}
            <strong>{plural(picture.unattributed, 'envelope')}</strong> had a hidden sender (sealed sender), so the server cannot draw a line for them
            (hidden receipts among them: sealed, a receipt looks like any message).
          </>
        )}
        {readFromInside > 0 && (
          <>
            {' '}
            <strong data-testid="operator-graph-read-inside">{plural(readFromInside, 'sealed envelope')}</strong> were sent in transport-only: the server
            opened them and read the sender’s name inside, so for those sealing hid nothing from it (the names are in the envelope list).
          </>
        )}
        {picture.receipts > 0 && (
          <>
            {' '}
            <strong data-testid="operator-graph-receipts">{plural(picture.receipts, 'receipt')}</strong> (a phone saying “I have your message”, marked as
            such by the app) are not counted: they are not conversation.
          </>
        )}
      </figcaption>
    </figure>
  );
}

function PersonNode({ person, selected, selfTalk, onSelect }: { person: PersonDot; selected: boolean; selfTalk: number; onSelect: (username: string) => void }) {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(person.username);
    }
  };
  const own = selfTalk > 0 ? `, ${plural(selfTalk, 'envelope')} to own devices` : '';
  return (
    <g
      className={`operator-graph-person${selected ? ' is-selected' : ''}`}
      transform={`translate(${person.x} ${person.y})`}
      tabIndex={0}
      role="button"
      aria-pressed={selected}
      aria-label={`${person.username}: sent ${person.sent}, received ${person.received}${own}. Open timeline.`}
      onClick={() => onSelect(person.username)}
      onKeyDown={onKeyDown}
      data-testid="operator-graph-person"
      data-username={person.username}
    >
      <circle r={person.radius} />
      <text className="operator-graph-initial" dy="0.35em">
        {person.username.slice(0, 1).toUpperCase()}
      </text>
      <text className="operator-graph-name" y={person.radius + 26}>
        {person.username}
      </text>
      <text className="operator-graph-stats" y={person.radius + 50}>
        {`${person.sent} sent · ${person.received} received`}
      </text>
    </g>
  );
}
