/** The console's audit log, newest first, kept current: what oversight would read. */
import { useQuery } from '@tanstack/react-query';
import { Explain } from '../ui/Explain.js';
import { agencyFailureText } from './agency-api.js';
import { POLL_MS, useAgencyApi } from './queries.js';
import { when } from './when.js';

const ACTION_WORDS: Record<string, string> = {
  'warrant-opened': 'entered a warrant',
  'warrant-ended': 'ended a warrant',
  'queue-read': 'read copied messages',
  'retrospective-read': 'read the retained past',
  'target-added-without-warrant': 'added a target without a warrant',
  'escrow-share-read': 'took a holder’s share of the escrow key',
  'escrow-open': 'opened retained messages with the escrow key',
  'escrow-open-refused': 'was refused the escrow key',
  'escrow-leak': 'ATTACK: opened everyone’s messages with a leaked escrow key',
};

export function AuditPanel() {
  const api = useAgencyApi();
  const audit = useQuery({ queryKey: ['agency', 'audit'], queryFn: () => api.audit(), refetchInterval: POLL_MS });
  const data = audit.data;
  return (
    <section className="panel operator-section agency-audit" aria-labelledby="agency-audit-title" data-testid="agency-audit">
      <h2 id="agency-audit-title">Audit log</h2>
      <Explain title="What is this?">
        <p>
          Every warrant entered or ended, and every time someone at the console read people’s messages, is written here. This log is what an
          oversight body would check. Looking at this list is not itself written down.
        </p>
      </Explain>
      {audit.error && <p className="warning">{agencyFailureText(audit.error)}</p>}
      {data && (
        <>
          <p data-testid="audit-total">
            {data.total} {data.total === 1 ? 'line' : 'lines'} in the log.
          </p>
          {data.lines.length > 0 && (
            <table className="agency-table" data-testid="audit-lines">
              <caption className="visually-hidden">Audit log, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Did what</th>
                  <th scope="col">About</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {data.lines.map((line) => (
                  <tr key={line.seq}>
                    <td>{when(line.at)}</td>
                    <td>{line.actor}</td>
                    <td>{ACTION_WORDS[line.action] ?? line.action}</td>
                    <td>{line.target ?? '—'}</td>
                    <td>{line.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
