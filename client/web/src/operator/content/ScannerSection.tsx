/**
 * "What content access adds": the content scanner's rules (readable, and
 * editable: a word or a pattern with a label; delete) and the messages it
 * flags, beside the metadata signals. It only has something to scan while a
 * mode lets the server read messages; in e2ee it says so.
 */
import { useContext, useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { DEFAULT_POLICY_MODE, type PolicyAnnouncement } from '@envelope/protocol';
import { Explain } from '../../ui/Explain.js';
import { clockTime, plural } from '../format.js';
import { OperatorApiContext, sectionQuery, useSection } from '../queries.js';
import { SectionHead, SectionStatus } from '../SectionHead.js';
import { SCANNER_RULES } from '../sections.js';
import { failureText } from '../failure-text.js';
import type { OperatorApi } from '../operator-api.js';
import { flaggedRows, type ContentState } from './content-state.js';
import { ReadText } from './ReadText.js';
import './content.css';
import type { ScannerRule } from './schemas.js';

export interface ScannerSectionProps {
  readonly content: ContentState;
  readonly policy: PolicyAnnouncement | null;
  /** The rules changed: the page reads the content log again (matches may have changed). */
  readonly onRulesChanged: () => void;
  readonly onSelectPerson: (username: string) => void;
}

export function ScannerSection({ content, policy, onRulesChanged, onSelectPerson }: ScannerSectionProps) {
  const section = useSection(SCANNER_RULES);
  const flagged = flaggedRows(content);
  const reading = policy !== null && policy.mode !== DEFAULT_POLICY_MODE;
  return (
    <section className="panel operator-section operator-scanner-section" aria-labelledby="operator-scanner-title" data-testid="scanner-section">
      <SectionHead id="operator-scanner-title" title="What content access adds: the content scanner" testId="scanner" section={section} />
      <Explain title="What is this?">
        <p>
          The checks above see only envelopes: who, to whom, when, how much. When the server can read messages, it can also check what they say.
          This scanner looks for the words and patterns listed here in every message the server read, and flags the ones that match.
        </p>
        <p>
          It catches what it is told to look for, in every message of everyone, including the innocent ones that happen to use the same words.
          {reading ? '' : ' Right now the server reads nothing new (end-to-end encryption), so it can only scan what earlier modes left it.'}
        </p>
      </Explain>
      <SectionStatus section={section} />
      <div className="scanner-columns">
        <div>
          <h3>Rules</h3>
          {section.data && <RuleList rules={section.data.rules} onChanged={onRulesChanged} />}
          <AddRule onAdded={onRulesChanged} />
        </div>
        <div>
          <h3>Messages it flags</h3>
          {flagged.length === 0 ? (
            <p className="operator-muted" data-testid="scanner-none">
              {content.bySeq.size === 0 ? 'No message text to scan: the server has read none.' : `None of the ${plural(content.bySeq.size, 'message')} the server read matches a rule.`}
            </p>
          ) : (
            <ol className="scanner-flagged" data-testid="scanner-flagged">
              {flagged.map((row) => (
                <li key={row.seq} className="scanner-flagged-item" data-testid="scanner-flagged-item">
                  <ReadText row={row} />
                  <p className="operator-muted">
                    {clockTime(row.storedAt)} · from{' '}
                    {row.sender ? (
                      <button type="button" className="link" onClick={() => onSelectPerson(row.sender!)}>
                        {row.sender}
                      </button>
                    ) : (
                      'a hidden sender'
                    )}{' '}
                    to{' '}
                    <button type="button" className="link" onClick={() => onSelectPerson(row.recipient)}>
                      {row.recipient}
                    </button>
                  </p>
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
    </section>
  );
}

function useRuleChange(onChanged: () => void) {
  const api = useContext(OperatorApiContext);
  const queries = useQueryClient();
  return async (change: (api: OperatorApi) => Promise<unknown>): Promise<string | null> => {
    if (!api) return 'The page is locked.';
    try {
      await change(api);
    } catch (error) {
      return failureText(error, { what: 'the rule' }).replace('could not load', 'could not save');
    }
    await queries.invalidateQueries({ queryKey: sectionQuery(api, SCANNER_RULES).queryKey });
    onChanged();
    return null;
  };
}

function RuleList({ rules, onChanged }: { readonly rules: readonly ScannerRule[]; readonly onChanged: () => void }) {
  const change = useRuleChange(onChanged);
  const [error, setError] = useState<string | null>(null);
  if (rules.length === 0) return <p className="operator-muted">No rules yet: add a word or a pattern below.</p>;
  return (
    <>
      <table className="operator-table scanner-rules" data-testid="scanner-rules">
        <caption className="visually-hidden">The content scanner’s rules</caption>
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Looks for</th>
            <th scope="col">
              <span className="visually-hidden">Delete</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr key={rule.id} data-testid="scanner-rule">
              <td>{rule.label}</td>
              <td>
                {rule.kind === 'word' ? 'the word ' : 'the pattern '}
                <code>{rule.pattern}</code>
              </td>
              <td>
                <button type="button" className="secondary small" aria-label={`Delete the rule “${rule.label}”`} onClick={() => void change((api) => api.deleteScannerRule(rule.id)).then(setError)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <p className="warning" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function AddRule({ onAdded }: { readonly onAdded: () => void }) {
  const change = useRuleChange(onAdded);
  const id = useId();
  const [kind, setKind] = useState<'word' | 'pattern'>('word');
  const [pattern, setPattern] = useState('');
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pattern.trim() === '' || label.trim() === '') return setError('Give the rule both what to look for and a label.');
    setSaving(true);
    const failed = await change((api) => api.addScannerRule({ kind, pattern: pattern.trim(), label: label.trim() }));
    setSaving(false);
    setError(failed);
    if (failed === null) {
      setPattern('');
      setLabel('');
    }
  };
  return (
    <form className="scanner-add" onSubmit={(event) => void submit(event)} data-testid="scanner-add" aria-label="Add a rule">
      <label htmlFor={`${id}-kind`}>Look for</label>
      <select id={`${id}-kind`} value={kind} onChange={(event) => setKind(event.target.value as 'word' | 'pattern')} data-testid="scanner-add-kind">
        <option value="word">a word</option>
        <option value="pattern">a pattern (regular expression)</option>
      </select>
      <label htmlFor={`${id}-pattern`}>{kind === 'word' ? 'Word' : 'Pattern'}</label>
      <input id={`${id}-pattern`} value={pattern} onChange={(event) => setPattern(event.target.value)} data-testid="scanner-add-pattern" placeholder={kind === 'word' ? 'e.g. gym' : 'e.g. \\d{4}'} />
      <label htmlFor={`${id}-label`}>Label</label>
      <input id={`${id}-label`} value={label} onChange={(event) => setLabel(event.target.value)} data-testid="scanner-add-label" placeholder="e.g. meeting place" />
      <button type="submit" disabled={saving} data-testid="scanner-add-submit">
        {saving ? 'Adding…' : 'Add rule'}
      </button>
      {error && (
        <p className="warning scanner-add-error" role="alert" data-testid="scanner-add-error">
          {error}
        </p>
      )}
    </form>
  );
}
