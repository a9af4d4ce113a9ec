/** Whether the live stream is connected, in words and colour, with a way to retry at once. */
import type { ConnectionState } from './live-stream.js';

export interface ConnectionBadgeProps {
  readonly connection: ConnectionState;
  readonly onRetry: () => void;
}

/** The badge's look: `is-live` green, `is-waiting` amber, the rest neutral. */
const LOOK: Record<ConnectionState['kind'], string> = { live: 'is-live', connecting: 'is-connecting', waiting: 'is-waiting', stopped: 'is-connecting' };

function words(connection: ConnectionState, onRetry: () => void) {
  switch (connection.kind) {
    case 'live':
      return (
        <>
          <span aria-hidden="true">●</span> Live: new envelopes appear as they pass
        </>
      );
    case 'connecting':
      return 'Connecting to the live stream…';
    case 'waiting':
      return (
        <>
          Connection lost ({connection.reason}); trying again…{' '}
          <button type="button" className="secondary" onClick={onRetry}>
            Retry now
          </button>
        </>
      );
    case 'stopped':
      return 'Loading what the server holds…';
  }
}

export function ConnectionBadge({ connection, onRetry }: ConnectionBadgeProps) {
  return (
    <p className={`operator-connection ${LOOK[connection.kind]}`} role="status" data-testid="operator-connection" data-state={connection.kind}>
      {words(connection, onRetry)}
    </p>
  );
}
