/**
 * The live table: one row per envelope the server relayed, newest on top,
 * with exactly the columns the server knows. The page keeps the newest
 * MAX_FEED_ROWS (feed.ts) and draws only the rows in view and a few around
 * them (@tanstack/react-virtual), so thirty people chatting neither grow the
 * page nor slow it; the count above the table is the server's whole log. Each row opens the sender's
 * timeline (the recipient's, when the sender was hidden). Delivery receipts
 * the app marked are labelled as such and can be hidden; sealed ones look
 * like any sealed envelope, and the note under the table says so.
 */
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FeedState } from './feed.js';
import { byteSize, clockTime, kindLabel, plural } from './format.js';
import type { OperatorEnvelope } from './schemas.js';
import type { ContentState } from './content/content-state.js';
import type { OperatorContentRow } from './content/schemas.js';
import { ModeTag, ReadText } from './content/ReadText.js';

export interface EnvelopeStreamProps {
  readonly feed: FeedState;
  /** What the server read from envelopes a content-access mode made readable, by seq. */
  readonly content: ContentState;
  readonly onSelectPerson: (username: string) => void;
  /** Every envelope in the server's log (graph-state's totalEnvelopes), of which the table lists the newest. */
  readonly total: number;
}

/** A row's height before it is measured (one line at the normal text size); the real height replaces it once drawn. */
const ROW_ESTIMATE_PX = 34;
/** Rows drawn beyond each edge of the visible part, so scrolling and Tab find the next row already there. */
const OVERSCAN_ROWS = 8;

export function EnvelopeStream({ feed, content, onSelectPerson, total }: EnvelopeStreamProps) {
  if (feed.rows.length === 0) {
    return (
      <p className="operator-empty" data-testid="operator-no-envelopes">
        No envelopes yet. When someone sends a message in the classroom, it appears here the moment it reaches the server.
      </p>
    );
  }
  return <EnvelopeTable feed={feed} content={content} onSelectPerson={onSelectPerson} total={total} />;
}

function EnvelopeTable({ feed, content, onSelectPerson, total }: EnvelopeStreamProps) {
  const [hideReceipts, setHideReceipts] = useState(false);
  const toggleId = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const receipts = feed.rows.filter((row) => row.receipt === true).length;
  const rows = hideReceipts ? feed.rows.filter((row) => row.receipt !== true) : feed.rows;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: OVERSCAN_ROWS,
    getItemKey: (index) => rows[index]!.seq,
  });
  const drawn = virtualizer.getVirtualItems();
  const above = drawn[0]?.start ?? 0;
  const below = drawn.length > 0 ? virtualizer.getTotalSize() - drawn[drawn.length - 1]!.end : 0;
  const logged = Math.max(total, feed.rows.length);
  const arrived = useArrivals(feed.rows);
  return (
    <div className="operator-stream-body">
      <p className="operator-note operator-stream-count" data-testid="operator-stream-count" data-total={logged} data-kept={feed.rows.length}>
        <strong>{plural(logged, 'envelope')}</strong> in the server’s log
        {logged > feed.rows.length ? `; the newest ${feed.rows.length} are listed here` : ''}.
      </p>
      <p className="operator-note" data-testid="operator-receipts-note">
        A <strong>delivery receipt</strong> is the automatic “I have your message” a phone sends back, encrypted like a message. The app
        marks it as a receipt unless it is sealed: a sealed receipt looks like any sealed envelope, and the server cannot tell which is
        which.
      </p>
      <p className="operator-note">
        <label htmlFor={toggleId}>
          <input id={toggleId} type="checkbox" data-testid="operator-hide-receipts" checked={hideReceipts} onChange={(event) => setHideReceipts(event.target.checked)} /> Hide
          delivery receipts ({receipts} in this list)
        </label>
      </p>
      <div className="operator-table-scroll" ref={scroller} data-testid="operator-envelopes-scroll">
        <table className="operator-table" data-testid="operator-envelopes" aria-rowcount={rows.length + 1}>
          <caption className="visually-hidden">Envelopes relayed by the server, newest first</caption>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">Time</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Size</th>
              <th scope="col">Kind</th>
              <th scope="col">On the server</th>
              <th scope="col">Mode</th>
              <th scope="col">Contents: what the server can read</th>
            </tr>
          </thead>
          <tbody>
            {/* Empty rows stand for the rows not drawn, so the scroll bar and position are those of the whole list. */}
            {above > 0 && <tr aria-hidden="true" className="operator-table-spacer" style={{ height: above }} />}
            {drawn.map((item) => (
              <EnvelopeRow
                key={item.key}
                index={item.index}
                measure={virtualizer.measureElement}
                row={rows[item.index]!}
                fresh={Date.now() - (arrived.get(rows[item.index]!.seq) ?? 0) < ARRIVAL_FLASH_MS}
                read={content.bySeq.get(rows[item.index]!.seq) ?? null}
                onSelectPerson={onSelectPerson}
              />
            ))}
            {below > 0 && <tr aria-hidden="true" className="operator-table-spacer" style={{ height: below }} />}
          </tbody>
        </table>
      </div>
      {feed.skipped > 0 && <p className="operator-note">{plural(feed.skipped, 'older envelope')} not shown here.</p>}
    </div>
  );
}

/** How long a new row is highlighted (the CSS animation operator-arrive lasts as long). */
const ARRIVAL_FLASH_MS = 1_200;

/**
 * When each row first reached the page (the first page of envelopes counts as
 * long ago): only a row that just arrived is highlighted, not one drawn again
 * as the table scrolls back to it. Holds the seqs the feed holds, no more.
 */
function useArrivals(rows: readonly OperatorEnvelope[]): ReadonlyMap<number, number> {
  const arrivals = useRef<Map<number, number> | null>(null);
  const now = Date.now();
  if (arrivals.current === null) {
    arrivals.current = new Map(rows.map((row) => [row.seq, 0]));
    return arrivals.current;
  }
  const known = arrivals.current;
  const next = new Map<number, number>();
  for (const row of rows) next.set(row.seq, known.get(row.seq) ?? now);
  arrivals.current = next;
  return next;
}

interface EnvelopeRowProps {
  readonly fresh: boolean;
  readonly index: number;
  readonly measure: (element: Element | null) => void;
  readonly row: OperatorEnvelope;
  readonly read: OperatorContentRow | null;
  readonly onSelectPerson: (username: string) => void;
}

function EnvelopeRow({ fresh, index, measure, row, read, onSelectPerson }: EnvelopeRowProps) {
  const { mode } = row;
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
      ref={measure}
      className={fresh ? 'is-new' : undefined}
      data-index={index}
      aria-rowindex={index + 2}
      tabIndex={0}
      onClick={open}
      onKeyDown={onKeyDown}
      aria-label={`${clockTime(row.sentAt)}, ${kindLabel(row)} from ${from} to ${row.recipient}, ${byteSize(row.size)}${read?.text ? `, read by the server: “${read.text}”` : ''}. Press Enter for ${person}’s timeline.`}
      data-testid="operator-envelope-row"
      data-seq={row.seq}
      data-mode={mode}
      data-receipt={row.receipt === null ? 'unknown' : String(row.receipt)}
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
      <td>
        {read && read.kind !== 'unknown' ? (
          <span title="The server opened it, so it knows what it is.">{READ_KIND_LABELS[read.kind]}</span>
        ) : row.receipt === true ? (
          <span className="operator-receipt" title="The sender’s app marked this envelope a delivery receipt: not a message anyone wrote.">
            {kindLabel(row)}
          </span>
        ) : row.receipt === null ? (
          <span title="Sealed: a message or a delivery receipt, the server cannot tell.">{kindLabel(row)}</span>
        ) : (
          kindLabel(row)
        )}
      </td>
      <td>
        {row.stillStored ? (
          <span className="operator-stored" title="Waiting in the server’s mailbox until the recipient’s device confirms it arrived.">
            stored
          </span>
        ) : (
          <span className="operator-deleted" title="The recipient’s device picked it up: the server deleted the ciphertext and kept only this row.">
            deleted
          </span>
        )}
      </td>
      <td>
        <ModeTag mode={mode} />
      </td>
      {read ? (
        <td className="operator-read-cell">
          <ReadText row={read} />
        </td>
      ) : (
        <td className="mono operator-cipher">{row.ciphertextPreview ? `${row.ciphertextPreview}…` : <span className="operator-muted">(gone)</span>}</td>
      )}
    </tr>
  );
}

/** What an opened envelope turned out to be, in the words of the Kind column. */
const READ_KIND_LABELS = { text: 'message', receipt: 'delivery receipt', 'session-reset': 'session reset' } as const;

function PersonName({ username, device }: { username: string; device: number | null }) {
  return (
    <span className="operator-person">
      {username}
      {device !== null && device !== 1 && <span className="operator-muted"> · device {device}</span>}
    </span>
  );
}
