/**
 * "Messages users reported": the moderators' queue. Each entry is one message
 * a recipient chose to show the server, checked before it was filed; nothing
 * else of any conversation is here, because the server has nothing else.
 */
import { DEFAULT_POLICY_MODE, REPORT_REASON_LABELS, type PolicyAnnouncement, type QueuedReport } from '@envelope/protocol';
import { Explain } from '../../ui/Explain.js';
import { clockTime, plural } from '../format.js';
import { useSection } from '../queries.js';
import { SectionHead, SectionStatus } from '../SectionHead.js';
import '../content/content.css';
import { REPORTS } from '../sections.js';

export interface ReportsSectionProps {
  /** The server's mode: where it reads every message, a report shows it nothing new. */
  readonly policy: PolicyAnnouncement | null;
  readonly onSelectPerson: (username: string) => void;
}

export function ReportsSection({ policy, onSelectPerson }: ReportsSectionProps) {
  const section = useSection(REPORTS);
  const queue = section.data;
  const serverReads = policy !== null && policy.mode !== DEFAULT_POLICY_MODE;
  return (
    <section className="panel operator-section operator-reports-section" aria-labelledby="operator-reports-title" data-testid="reports-section">
      <SectionHead id="operator-reports-title" title="Messages users reported" testId="reports" section={section} />
      <Explain title="What is this?">
        <p>
          Anyone who receives a message can report it. The report shows the server that one message, and the server checks it before filing it:
          every message carries a seal of its text that only the two people could open, and the server stamped that seal with the sender, the
          recipient and the time when it passed the message on. An altered text, another sender or a made-up message would not match.
        </p>
        {serverReads ? (
          <p>
            In end-to-end encryption a report is the only way message text reaches the server. In the mode in force now the server reads every new
            message anyway.
          </p>
        ) : (
          <p>
            <strong>This is the only message text the server ever holds</strong> in end-to-end encryption, and only because a recipient chose to
            reveal it. Abuse that nobody reports never reaches this list.
          </p>
        )}
      </Explain>
      {serverReads && (
        <p className="operator-reads-note" data-testid="reports-pointless">
          <strong>Right now a report adds nothing the server could not already read:</strong> it holds the text of every new message, reported or
          not (see the envelopes above and the content scanner).
        </p>
      )}
      <SectionStatus section={section} />
      {queue && queue.total === 0 && (
        <p className="operator-muted" data-testid="reports-empty">
          No reports yet.
        </p>
      )}
      {queue && queue.total > 0 && (
        <>
          <p className="operator-muted">
            {plural(queue.total, 'report')}
            {queue.total > queue.reports.length ? ` (the newest ${queue.reports.length} shown)` : ''}.
          </p>
          <ol className="reports-list" data-testid="reports-list">
            {queue.reports.map((report) => (
              <ReportItem key={report.id} report={report} onSelectPerson={onSelectPerson} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function ReportItem({ report, onSelectPerson }: { readonly report: QueuedReport; readonly onSelectPerson: (username: string) => void }) {
  return (
    <li className="report-item" data-testid="report-item" data-sender={report.sender} data-reporter={report.reporter}>
      <blockquote className="report-text" data-testid="report-text">
        {report.text}
      </blockquote>
      <p className="report-meta">
        <span className="report-reason">{REPORT_REASON_LABELS[report.reason]}</span> · sent by{' '}
        <button type="button" className="link" onClick={() => onSelectPerson(report.sender)}>
          {report.sender}
        </button>{' '}
        {report.senderVerified ? (
          <span className="report-verified">(checked by the server’s stamp)</span>
        ) : (
          <span className="report-unverified">(not checked: sent with sealed sender, so this is the reporter’s word)</span>
        )}{' '}
        at {clockTime(report.sentAt)} · reported by {report.reporter} at {clockTime(report.reportedAt)}
      </p>
    </li>
  );
}
