/**
 * The warrant answer in plain sections, ending with what the server could not
 * provide. The page shows it, and the exported document is this same view
 * rendered to static markup (WarrantDocument.tsx) with `complete` set: every
 * row of the activity log and the whole of each ciphertext. React escapes
 * every value, so nothing in an answer can become markup in either.
 */
import type { WarrantAnswer } from './schemas.js';
import { ageBandText, exactBytes, kindText, logNumberText, peerText, plural, utcTime } from './warrant-format.js';
import { hiddenSendersText, MODE_TEXT, NO_CLAIMS_TEXT, NO_REPORTS_TEXT, WARRANT_SECTIONS } from './warrant-text.js';
import { Addresses, Devices, Part, ReadableMessages, Reports, StoredEnvelopes, Total } from './WarrantParts.js';

/** Rows of the activity log shown on the page; the export carries them all. */
const TIMELINE_ROWS_ON_PAGE = 25;

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
        <Devices devices={answer.devices} />
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
                    {c.sent} ({exactBytes(c.bytesSent)})
                  </td>
                  <td>
                    {c.received} ({exactBytes(c.bytesReceived)})
                  </td>
                  <td>{c.receipts}</td>
                  <td>{utcTime(c.firstAt)}</td>
                  <td>{utcTime(c.lastAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p>{hiddenSendersText(answer.receivedFromHiddenSenders)}</p>
      </Part>
      <Part text={WARRANT_SECTIONS.timeline} testId="warrant-timeline">
        <Total shown={answer.timeline.events.length} total={answer.timeline.total} noun="event" />
        {events.length > 0 && (
          <table className="warrant-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Own device</th>
                <th>What</th>
                <th>Who</th>
                <th>Size</th>
                <th>Picked up</th>
                <th>Envelope</th>
                <th>Fingerprint</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={`${e.seq}-${e.direction}`}>
                  <td>{utcTime(e.at)}</td>
                  <td>{e.device ?? 'not recorded'}</td>
                  <td>
                    {e.direction === 'sent' ? 'sent to' : 'received from'} ({kindText(e.kind, e.receipt)}); {MODE_TEXT[e.mode]}
                  </td>
                  <td>{peerText(e.peer, e.peerDevice)}</td>
                  <td>{exactBytes(e.size)}</td>
                  <td>{e.deliveredAt === null ? 'not yet' : utcTime(e.deliveredAt)}</td>
                  <td>
                    <code>{e.messageId}</code>
                    {logNumberText(e.seq)}
                  </td>
                  <td>{e.ciphertextSha256 === null ? 'not recorded (older row)' : <code>{e.ciphertextSha256}</code>}</td>
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
      <Part text={WARRANT_SECTIONS.readable} testId="warrant-readable">
        <ReadableMessages list={answer.readableMessages} />
      </Part>
      <Part text={WARRANT_SECTIONS.reports} testId="warrant-reports">
        <Reports
          list={answer.verifiedReports}
          noun="report"
          none={NO_REPORTS_TEXT}
          line={(r, reason) => `Sent by ${r.sender} at ${utcTime(r.sentAt)}, reported by ${r.reporter} (${reason})`}
        />
      </Part>
      <Part text={WARRANT_SECTIONS.claims} testId="warrant-claims">
        <Reports
          list={answer.unverifiedClaims}
          noun="claim"
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
