/** Messages as the agency reads them: when, from whom, to whom, and the text. */
import type { InterceptedMessage } from '@envelope/protocol';
import { when } from './when.js';

export interface MessageTableProps {
  readonly messages: readonly InterceptedMessage[];
  readonly caption: string;
  readonly testId: string;
}

export function MessageTable({ messages, caption, testId }: MessageTableProps) {
  return (
    <table className="agency-table" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Received by the server</th>
          <th scope="col">From</th>
          <th scope="col">To</th>
          <th scope="col">What they wrote</th>
        </tr>
      </thead>
      <tbody>
        {messages.map((message) => (
          <tr key={message.seq} data-testid="agency-message">
            <td>{when(message.storedAt)}</td>
            <td>{message.sender ?? <span className="muted">unknown</span>}</td>
            <td>{message.recipient}</td>
            <td className="agency-text">
              {message.text ?? <span className="muted">{message.kind === 'receipt' ? 'a delivery receipt (no text)' : 'a control message (no text)'}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
