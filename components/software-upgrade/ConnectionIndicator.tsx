import { formatDateTimeWithZone } from '@/lib/dateTime';
import { Alert } from '@/components/ui/Alert';
import type { ConnectionStatus } from './consoleReducer';

export interface ConnectionIndicatorProps {
  status: ConnectionStatus;
  /** Why the console said it was stopping (a graceful stop); null when it went without a word. */
  notice: string | null;
  /** When the live connection was lost. */
  since: string | null;
}

function pillText(status: ConnectionStatus, notice: string | null): string {
  if (status === 'live') return 'Live';
  if (status === 'connecting') return 'Connecting…';
  return notice ? 'Stopped, reconnecting…' : 'Unreachable, reconnecting…';
}

/** Whether the page is live, at the top right of the page. */
export function ConnectionIndicator({ status, notice }: Pick<ConnectionIndicatorProps, 'status' | 'notice'>) {
  return (
    <span className={`connection connection-${status}`} data-testid="connection" role="status" title={status === 'live' ? 'Receiving live updates' : 'Showing the last known state'}>
      <span className="connection-dot" aria-hidden="true" />
      {pillText(status, notice)}
    </span>
  );
}

/**
 * Off line, above everything: whether the console stopped (and why) or cannot be reached, that the
 * page shows the last known state, and that its commands are off until the console answers again.
 */
export function ConnectionNotice({ status, notice, since }: ConnectionIndicatorProps) {
  if (status !== 'reconnecting') return null;
  return (
    <Alert tone="warning" data-testid="connection-notice">
      {notice ? `Console stopped (${notice}).` : `Console unreachable${since ? ` since ${formatDateTimeWithZone(since)}` : ''}.`} This page shows the last known state and its commands are off until
      the console answers again{notice ? '; a running upgrade carries on when it is back.' : '.'}
    </Alert>
  );
}
