import type { ConnectionStatus } from './consoleReducer';

const TEXT: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

export function ConnectionIndicator({ status }: { status: ConnectionStatus }) {
  return (
    <span className={`connection connection-${status}`} data-testid="connection" role="status" title={status === 'live' ? 'Receiving live updates' : 'Showing the last known state'}>
      <span className="connection-dot" aria-hidden="true" />
      {TEXT[status]}
    </span>
  );
}
