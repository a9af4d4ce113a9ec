/**
 * The warrant answer on the page: pick an account, ask, read the answer in
 * plain sections, export it as a document. Presentational: it renders a
 * snapshot and calls the actions it is given.
 */
import type { ReactNode } from 'react';
import { REPORT_REASON_LABELS } from '@envelope/protocol';
import type { WarrantAnswer, WarrantStoredEnvelope } from './schemas.js';
import { ageBandText, byteSize, kindText, peerText, plural, shownOf, utcTime } from './warrant-format.js';
import type { WarrantSnapshot } from './warrant-model.js';
import {
  ADDRESS_EVENT_LABELS,
  ADDRESSES_NOT_STORED_TEXT,
  addressesStoredText,
  CIPHERTEXT_NOTE,
  NO_CLAIMS_TEXT,
  NO_REPORTS_TEXT,
  SEALED_FROM_SAME_ADDRESSES_TEXT,
  WARRANT_SECTIONS,
  type SectionText,
} from './warrant-text.js';

/** Rows of the activity log shown on the page; the export carries them all. */
const TIMELINE_ROWS_ON_PAGE = 25;
/** Characters of each ciphertext shown on the page (the export carries the whole of it). */
const CIPHERTEXT_CHARS_ON_PAGE = 96;

export interface WarrantViewProps {
  readonly snapshot: WarrantSnapshot;
  readonly accounts: readonly string[];
  readonly onSelect: (username: string | null) => void;
  readonly onRequest: () => void;
  readonly onExport: () => void;
}

export function WarrantView({ snapshot, accounts, onSelect, onRequest, onExport }: WarrantViewProps) {
  const { selected, request } = snapshot;
  return (
    <div className="warrant" data-testid="warrant">
      <form
        className="warrant-request"
        onSubmit={(event) => {
          event.preventDefault();
          onRequest();
        }}
      >
        <label htmlFor="warrant-account">Account named in the request</label>
        <select id="warrant-account" data-testid="warrant-account" value={selected ?? ''} onChange={(e) => onSelect(e.target.value || null)}>
          <option value="">Choose an account…</option>
          {accounts.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!selected || request.status === 'loading'}>
          Request everything the server holds
        </button>
        {request.status === 'ready' && (
          <button type="button" className="secondary" onClick={onExport} data-testid="warrant-export">
            Export as a document
          </button>
        )}
      </form>
      {request.status === 'idle' && accounts.length === 0 && <p className="operator-empty">No accounts yet: nobody has signed up.</p>}
      {request.status === 'loading' && <p className="operator-muted">Gathering everything the server holds about {request.username}…</p>}
      {request.status === 'failed' && <p className="warning">{request.message}</p>}
      {request.status === 'ready' && <WarrantAnswerView answer={request.answer} />}
    </div>
  );
}

function Part({ text, testId, children }: { text: SectionText; testId: string; children: ReactNode }) {
  return (
    <section className="warrant-part" data-testid={testId}>
      <h3>{text.title}</h3>
      <p className="operator-muted">{text.about}</p>
      {children}
    </section>
  );
}

function Total({ shown, total, noun }: { shown: number; total: number; noun: string }) {
  const cut = shownOf(shown, total);
  return (
    <p className="warrant-total">
      {plural(total, noun)} in all{cut && ` (${cut})`}.
    </p>
  );
}

function WarrantAnswerView({ answer }: { answer: WarrantAnswer }) {
  const events = answer.timeline.events.slice(0, TIMELINE_ROWS_ON_PAGE);
  return (
    <div className="warrant-answer" data-testid="warrant-answer" data-account={answer.account}>
      <p>
        Answer for <strong>{answer.account}</strong>, generated {utcTime(answer.generatedAt)}. The server keeps its log of envelopes for{' '}
        {plural(answer.metadataRetentionDays, 'day')}.
      </p>
      <Part text={WARRANT_SECTIONS.account} testId="warrant-record">
        <dl className="warrant-facts">
          <dt>Created</dt>
          <dd>{utcTime(answer.record.createdAt)}</dd>
          <dt>Age band</dt>
          <dd>{ageBandText(answer.record.ageBand)}</dd>
        </dl>
      </Part>
      <Part text={WARRANT_SECTIONS.devices} testId="warrant-devices">
        <table className="warrant-table">
          <thead>
            <tr>
              <th>Device</th>
              <th>Registered</th>
              <th>Identity key (public)</th>
              <th>Prekeys left</th>
            </tr>
          </thead>
          <tbody>
            {answer.devices.map((d) => (
              <tr key={d.deviceId}>
                <td>{d.deviceId}</td>
                <td>{utcTime(d.registeredAt)}</td>
                <td>
                  <code className="warrant-bytes">{d.identityKey}</code>
                </td>
                <td>
                  {d.oneTimePreKeysLeft} one-time, {d.kemPreKeysLeft} post-quantum{d.hasLastResortKemKey ? ' (+ last resort)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>
      <Part text={WARRANT_SECTIONS.contacts} testId="warrant-contacts">
        <Total shown={answer.contacts.list.length} total={answer.contacts.total} noun="contact" />
        {answer.contacts.list.length > 0 && (
          <table className="warrant-table">
            <thead>
              <tr>
                <th>Contact</th>
                <th>Sent to</th>
                <th>Received from</th>
                <th>Receipts</th>
                <th>First</th>
                <th>Last</th>
              </tr>
            </thead>
            <tbody>
              {answer.contacts.list.map((c) => (
                <tr key={c.username} data-testid="warrant-contact" data-username={c.username}>
                  <td>{c.username}</td>
                  <td>
                    {c.sent} ({byteSize(c.bytesSent)})
                  </td>
                  <td>
                    {c.received} ({byteSize(c.bytesReceived)})
                  </td>
                  <td>{c.receipts}</td>
                  <td>{utcTime(c.firstAt)}</td>
                  <td>{utcTime(c.lastAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {answer.receivedFromHiddenSenders > 0 && (
          <p>Also received {plural(answer.receivedFromHiddenSenders, 'envelope')} whose sender was hidden (sealed sender).</p>
        )}
      </Part>
      <Part text={WARRANT_SECTIONS.timeline} testId="warrant-timeline">
        <Total shown={answer.timeline.events.length} total={answer.timeline.total} noun="event" />
        {events.length > 0 && (
          <table className="warrant-table">
            <thead>
              <tr>
                <th>When</th>
                <th>What</th>
                <th>Who</th>
                <th>Size</th>
                <th>Picked up</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={`${e.seq}-${e.direction}`}>
                  <td>{utcTime(e.at)}</td>
                  <td>
                    {e.direction === 'sent' ? 'sent to' : 'received from'} ({kindText(e.kind, e.receipt)})
                  </td>
                  <td>{peerText(e.peer, e.peerDevice)}</td>
                  <td>{byteSize(e.size)}</td>
                  <td>{e.deliveredAt === null ? 'not yet' : utcTime(e.deliveredAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {answer.timeline.events.length > events.length && (
          <p className="operator-muted">The {answer.timeline.events.length - events.length} older events are in the exported document.</p>
        )}
      </Part>
      <StoredEnvelopes text={WARRANT_SECTIONS.waiting} testId="warrant-waiting" list={answer.waitingForAccount} />
      <StoredEnvelopes text={WARRANT_SECTIONS.sentWaiting} testId="warrant-sent-waiting" list={answer.sentStillWaiting} />
      <Part text={WARRANT_SECTIONS.reports} testId="warrant-reports">
        {answer.verifiedReports.reports.length === 0 ? (
          <p>{NO_REPORTS_TEXT}</p>
        ) : (
          <ul>
            {answer.verifiedReports.reports.map((r) => (
              <li key={r.id}>
                Sent by {r.sender} at {utcTime(r.sentAt)}, reported by {r.reporter} ({REPORT_REASON_LABELS[r.reason].toLowerCase()}): <q>{r.text}</q>
              </li>
            ))}
          </ul>
        )}
      </Part>
      <Part text={WARRANT_SECTIONS.claims} testId="warrant-claims">
        {answer.unverifiedClaims.reports.length === 0 ? (
          <p>{NO_CLAIMS_TEXT}</p>
        ) : (
          <ul>
            {answer.unverifiedClaims.reports.map((r) => (
              <li key={r.id}>
                {r.reporter} says {r.sender} sent this at {utcTime(r.sentAt)} ({REPORT_REASON_LABELS[r.reason].toLowerCase()}; the server could not check
                the sender): <q>{r.text}</q>
              </li>
            ))}
          </ul>
        )}
      </Part>
      <Part text={WARRANT_SECTIONS.addresses} testId="warrant-addresses">
        <Addresses addresses={answer.networkAddresses} />
      </Part>
      <section className="warrant-part warrant-not-provided" data-testid="warrant-not-provided">
        <h3>{WARRANT_SECTIONS.notProvided.title}</h3>
        <p>{WARRANT_SECTIONS.notProvided.about}</p>
        <ul>
          {answer.notProvided.map((n) => (
            <li key={n.what}>
              <strong>{n.what}.</strong> {n.why}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function Addresses({ addresses }: { addresses: WarrantAnswer['networkAddresses'] }) {
  if (!addresses.stored) return <p data-testid="warrant-addresses-not-stored">{ADDRESSES_NOT_STORED_TEXT}</p>;
  return (
    <>
      <p>{addressesStoredText(addresses.retentionDays)}</p>
      <Total shown={addresses.account.events.length} total={addresses.account.total} noun="event" />
      <ul data-testid="warrant-address-events">
        {addresses.account.events.map((e) => (
          <li key={e.seq}>
            {utcTime(e.at)}: {ADDRESS_EVENT_LABELS[e.event]}
            {e.deviceId === null ? '' : ` (device ${e.deviceId})`} from <code>{e.address}</code>
          </li>
        ))}
      </ul>
      <p>{SEALED_FROM_SAME_ADDRESSES_TEXT}</p>
      <Total shown={addresses.sealedFromSameAddresses.events.length} total={addresses.sealedFromSameAddresses.total} noun="sealed envelope" />
      <ul data-testid="warrant-sealed-from-same-addresses">
        {addresses.sealedFromSameAddresses.events.map((e) => (
          <li key={e.seq}>
            {utcTime(e.at)}: envelope <code>{e.messageId}</code> from <code>{e.address}</code>
          </li>
        ))}
      </ul>
    </>
  );
}

function StoredEnvelopes({ text, testId, list }: { text: SectionText; testId: string; list: WarrantAnswer['waitingForAccount'] }) {
  return (
    <Part text={text} testId={testId}>
      <Total shown={list.envelopes.length} total={list.total} noun="envelope" />
      {list.envelopes.length > 0 && <p>{CIPHERTEXT_NOTE} The page shows the beginning of each; the exported document holds all of it.</p>}
      <ul className="warrant-envelopes">
        {list.envelopes.map((e: WarrantStoredEnvelope) => (
          <li key={e.seq}>
            From {peerText(e.sender, e.senderDevice)} to {peerText(e.recipient, e.recipientDevice)}, {utcTime(e.storedAt)}, {byteSize(e.size)}:
            <code className="warrant-bytes">
              {e.ciphertext.slice(0, CIPHERTEXT_CHARS_ON_PAGE)}
              {e.ciphertext.length > CIPHERTEXT_CHARS_ON_PAGE && '…'}
            </code>
          </li>
        ))}
      </ul>
    </Part>
  );
}
