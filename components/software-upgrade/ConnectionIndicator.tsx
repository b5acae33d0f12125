import type { ConnectionStatus } from './consoleReducer';

const TEXT: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

/** `notice`: why the console said it was stopping; a running upgrade carries on when it is back. */
export function ConnectionIndicator({ status, notice }: { status: ConnectionStatus; notice?: string | null }) {
  return (
    <span className={`connection connection-${status}`} data-testid="connection" role="status" title={status === 'live' ? 'Receiving live updates' : 'Showing the last known state'}>
      <span className="connection-dot" aria-hidden="true" />
      {TEXT[status]}
      {notice && status !== 'live' && ` Console stopped (${notice}); a running upgrade carries on when it is back.`}
    </span>
  );
}
