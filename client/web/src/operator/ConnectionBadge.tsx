/** Whether the live stream is connected, in words and colour, with a way to retry at once. */
import type { ConnectionState } from './live-stream.js';

export interface ConnectionBadgeProps {
  readonly connection: ConnectionState;
  readonly onRetry: () => void;
}

export function ConnectionBadge({ connection, onRetry }: ConnectionBadgeProps) {
  switch (connection.kind) {
    case 'live':
      return (
        <p className="operator-connection is-live" role="status" data-testid="operator-connection" data-state="live">
          <span aria-hidden="true">●</span> Live: new envelopes appear as they pass
        </p>
      );
    case 'connecting':
      return (
        <p className="operator-connection is-connecting" role="status" data-testid="operator-connection" data-state="connecting">
          Connecting to the live stream…
        </p>
      );
    case 'waiting':
      return (
        <p className="operator-connection is-waiting" role="status" data-testid="operator-connection" data-state="waiting">
          Connection lost ({connection.reason}); trying again…{' '}
          <button type="button" className="secondary" onClick={onRetry}>
            Retry now
          </button>
        </p>
      );
    case 'stopped':
      return (
        <p className="operator-connection is-connecting" role="status" data-testid="operator-connection" data-state="stopped">
          Loading what the server holds…
        </p>
      );
  }
}
