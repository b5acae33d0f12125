import { useTranslations } from 'next-intl';
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

function pillKey(status: ConnectionStatus, notice: string | null) {
  if (status === 'live') return 'live';
  if (status === 'connecting' || status === 'leaving') return status;
  return notice ? 'stopped' : 'unreachable';
}

/** Whether the page is live, at the top right of the page. */
export function ConnectionIndicator({ status, notice }: Pick<ConnectionIndicatorProps, 'status' | 'notice'>) {
  const t = useTranslations('connection');
  return (
    <span className={`connection connection-${status}`} data-testid="connection" role="status" title={t(status === 'live' ? 'liveTitle' : 'lastKnownTitle')}>
      <span className="connection-dot" aria-hidden="true" />
      {t(pillKey(status, notice))}
    </span>
  );
}

/**
 * Off line, above everything: whether the console stopped (and why) or cannot be reached, that the
 * page shows the last known state, and that its commands are off until the console answers again.
 */
export function ConnectionNotice({ status, notice, since }: ConnectionIndicatorProps) {
  const t = useTranslations('connection');
  if (status !== 'reconnecting') return null;
  return (
    <Alert tone="warning" data-testid="connection-notice">
      {notice ? t('noticeStopped', { reason: notice }) : since ? t('noticeUnreachableSince', { since: formatDateTimeWithZone(since) }) : t('noticeUnreachable')}
    </Alert>
  );
}
