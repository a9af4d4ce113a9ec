/**
 * Retained messages as the escrow key opened them: when, from whom, to whom,
 * the text, and the mode they were sent under; a row whose access field
 * opened to nothing (a rogue app's) says so instead of a text.
 */
import { POLICY_WORDS, type EscrowOpenedMessage } from '@envelope/protocol';
import { when } from './when.js';

export interface EscrowMessageTableProps {
  readonly messages: readonly EscrowOpenedMessage[];
  readonly caption: string;
  readonly testId: string;
}

export function EscrowMessageTable({ messages, caption, testId }: EscrowMessageTableProps) {
  return (
    <table className="agency-table" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Received by the server</th>
          <th scope="col">From</th>
          <th scope="col">To</th>
          <th scope="col">What the escrow key opened</th>
          <th scope="col">Sent under</th>
        </tr>
      </thead>
      <tbody>
        {messages.map((message) => (
          <tr key={message.seq} data-testid="escrow-message" data-outcome={message.outcome}>
            <td>{when(message.storedAt)}</td>
            <td>{message.sender ?? <span className="muted">unknown</span>}</td>
            <td>{message.recipient}</td>
            <td className={message.outcome === 'opened' && message.kind === 'text' ? 'agency-text' : undefined}>{openedText(message)}</td>
            <td>{POLICY_WORDS[message.mode].name}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function openedText(message: EscrowOpenedMessage) {
  if (message.outcome === 'opens-to-nothing') {
    return <span className="agency-no-reference">The access field opens to nothing: a rogue app’s field. The recipient read it; the escrow cannot.</span>;
  }
  if (message.kind === 'text') return message.text;
  return <span className="muted">{message.kind === 'receipt' ? 'a delivery receipt (no text)' : 'a control message (no text)'}</span>;
}
