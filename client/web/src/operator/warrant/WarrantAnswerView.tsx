/**
 * The warrant answer in plain sections, ending with what the server could not
 * provide. The page shows it, and the exported document is this same view
 * rendered to static markup (WarrantDocument.tsx) with `complete` set: every
 * row of the activity log and the whole of each ciphertext. React escapes
 * every value, so nothing in an answer can become markup in either.
 */
import type { ReactNode } from 'react';
import { REPORT_REASON_LABELS, type QueuedReport } from '@envelope/protocol';
import type { WarrantAnswer, WarrantStoredEnvelope } from './schemas.js';
import { ageBandText, byteSize, kindText, peerText, plural, shownOf, utcTime } from './warrant-format.js';
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

export interface WarrantAnswerViewProps {
  readonly answer: WarrantAnswer;
  /** Everything, uncut (the exported document); the page shortens the long parts. */
  readonly complete?: boolean;
}

export function WarrantAnswerView({ answer, complete = false }: WarrantAnswerViewProps) {
  const events = complete ? answer.timeline.events : answer.timeline.events.slice(0, TIMELINE_ROWS_ON_PAGE);
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
      <StoredEnvelopes text={WARRANT_SECTIONS.waiting} testId="warrant-waiting" list={answer.waitingForAccount} complete={complete} />
      <StoredEnvelopes text={WARRANT_SECTIONS.sentWaiting} testId="warrant-sent-waiting" list={answer.sentStillWaiting} complete={complete} />
      <Part text={WARRANT_SECTIONS.reports} testId="warrant-reports">
        <Reports
          list={answer.verifiedReports.reports}
          none={NO_REPORTS_TEXT}
          line={(r, reason) => `Sent by ${r.sender} at ${utcTime(r.sentAt)}, reported by ${r.reporter} (${reason})`}
        />
      </Part>
      <Part text={WARRANT_SECTIONS.claims} testId="warrant-claims">
        <Reports
          list={answer.unverifiedClaims.reports}
          none={NO_CLAIMS_TEXT}
          line={(r, reason) => `${r.reporter} says ${r.sender} sent this at ${utcTime(r.sentAt)} (${reason}; the server could not check the sender)`}
        />
      </Part>
      <Part text={WARRANT_SECTIONS.addresses} testId="warrant-addresses">
        <Addresses addresses={answer.networkAddresses} />
      </Part>
      <section className="warrant-part warrant-not-provided" id="not-provided" data-testid="warrant-not-provided">
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

/** Reported messages: who sent and reported each (`line`, given the reason in words), then the text the reporter revealed. */
function Reports({ list, none, line }: { list: readonly QueuedReport[]; none: string; line: (report: QueuedReport, reason: string) => string }) {
  if (list.length === 0) return <p>{none}</p>;
  return (
    <ul>
      {list.map((r) => (
        <li key={r.id}>
          {line(r, REPORT_REASON_LABELS[r.reason].toLowerCase())}: <q>{r.text}</q>
        </li>
      ))}
    </ul>
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

interface StoredEnvelopesProps {
  readonly text: SectionText;
  readonly testId: string;
  readonly list: WarrantAnswer['waitingForAccount'];
  readonly complete: boolean;
}

function StoredEnvelopes({ text, testId, list, complete }: StoredEnvelopesProps) {
  const shownChars = complete ? Number.POSITIVE_INFINITY : CIPHERTEXT_CHARS_ON_PAGE;
  return (
    <Part text={text} testId={testId}>
      <Total shown={list.envelopes.length} total={list.total} noun="envelope" />
      {list.envelopes.length > 0 && (
        <p>
          {CIPHERTEXT_NOTE}
          {!complete && ' The page shows the beginning of each; the exported document holds all of it.'}
        </p>
      )}
      <ul className="warrant-envelopes">
        {list.envelopes.map((e: WarrantStoredEnvelope) => (
          <li key={e.seq}>
            From {peerText(e.sender, e.senderDevice)} to {peerText(e.recipient, e.recipientDevice)}, {utcTime(e.storedAt)}, {byteSize(e.size)}:
            <code className="warrant-bytes">
              {e.ciphertext.slice(0, shownChars)}
              {e.ciphertext.length > shownChars && '…'}
            </code>
          </li>
        ))}
      </ul>
    </Part>
  );
}
