/**
 * The live table: one row per envelope the server relayed, newest on top,
 * with exactly the columns the server knows. Each row opens the sender's
 * timeline (the recipient's, when the sender was hidden).
 */
import type { KeyboardEvent } from 'react';
import type { FeedState } from './feed.js';
import { byteSize, clockTime, KIND_LABELS, plural } from './format.js';
import type { OperatorEnvelope } from './schemas.js';

export interface EnvelopeStreamProps {
  readonly feed: FeedState;
  readonly onSelectPerson: (username: string) => void;
}

export function EnvelopeStream({ feed, onSelectPerson }: EnvelopeStreamProps) {
  if (feed.rows.length === 0) {
    return (
      <p className="operator-empty" data-testid="operator-no-envelopes">
        No envelopes yet. When someone sends a message in the classroom, it appears here the moment it reaches the server.
      </p>
    );
  }
  return (
    <div className="operator-table-scroll">
      <table className="operator-table" data-testid="operator-envelopes">
        <caption className="visually-hidden">Envelopes relayed by the server, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Size</th>
            <th scope="col">Kind</th>
            <th scope="col">On the server</th>
            <th scope="col">Ciphertext (first bytes)</th>
          </tr>
        </thead>
        <tbody>
          {feed.rows.map((row) => (
            <EnvelopeRow key={row.seq} row={row} onSelectPerson={onSelectPerson} />
          ))}
        </tbody>
      </table>
      {feed.skipped > 0 && <p className="operator-note">{plural(feed.skipped, 'older envelope')} not shown here.</p>}
    </div>
  );
}

function EnvelopeRow({ row, onSelectPerson }: { row: OperatorEnvelope; onSelectPerson: (username: string) => void }) {
  const person = row.sender ?? row.recipient;
  const open = () => onSelectPerson(person);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open();
    }
  };
  const from = row.sender ? `${row.sender} (device ${row.senderDevice})` : 'hidden sender';
  return (
    <tr
      tabIndex={0}
      onClick={open}
      onKeyDown={onKeyDown}
      aria-label={`${clockTime(row.sentAt)}, from ${from} to ${row.recipient}, ${byteSize(row.size)}. Press Enter for ${person}’s timeline.`}
      data-testid="operator-envelope-row"
      data-seq={row.seq}
    >
      <td className="mono">{clockTime(row.sentAt)}</td>
      <td>
        {row.sender ? (
          <PersonName username={row.sender} device={row.senderDevice} />
        ) : (
          <span className="operator-hidden" title="Sealed sender: the sender’s name is inside the encrypted envelope, so the server never learns it.">
            hidden
          </span>
        )}
      </td>
      <td>
        <PersonName username={row.recipient} device={row.recipientDevice} />
      </td>
      <td className="mono">{byteSize(row.size)}</td>
      <td>{KIND_LABELS[row.kind]}</td>
      <td>
        {row.stillStored ? (
          <span className="operator-stored" title="Waiting in the server’s mailbox until the recipient’s device confirms it arrived.">
            stored
          </span>
        ) : (
          <span className="operator-deleted" title="Delivered: the server deleted the ciphertext and kept only this row.">
            deleted
          </span>
        )}
      </td>
      <td className="mono operator-cipher">{row.ciphertextPreview ? `${row.ciphertextPreview}…` : <span className="operator-muted">(gone)</span>}</td>
    </tr>
  );
}

function PersonName({ username, device }: { username: string; device: number | null }) {
  return (
    <span className="operator-person">
      {username}
      {device !== null && device !== 1 && <span className="operator-muted"> · device {device}</span>}
    </span>
  );
}
