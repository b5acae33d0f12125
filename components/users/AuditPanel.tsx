import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Panel } from '@/components/ui/Panel';
import { AuditTable } from './AuditTable';
import type { RemoteList } from './useRemoteList';
import { AUDIT_EXPORT_URL, type AuditEntryView } from './usersApi';

export interface AuditPanelProps {
  audit: RemoteList<AuditEntryView>;
}

/** Who did what to the console, from where; the export is the full trail, the table the recent part. */
export function AuditPanel({ audit }: AuditPanelProps) {
  const t = useTranslations('audit');
  const count = audit.items?.length;
  return (
    <Panel id="audit-trail" title={t('title')} aside={count !== undefined && <span className="panel-count">{t('count', { count })}</span>}>
      <div className="audit-toolbar">
        <Button className="btn-small" busy={audit.loading} onClick={() => void audit.reload()}>
          {t('refresh')}
        </Button>
        {/* A plain link: the browser sends the session cookie and saves the text itself. */}
        <a className="btn btn-secondary btn-small" href={AUDIT_EXPORT_URL} download="ewc-audit.txt">
          {t('export')}
        </a>
      </div>
      {audit.loadError && (
        <Alert tone="danger" data-testid="audit-load-error">
          {audit.loadError}
        </Alert>
      )}
      <AuditTable entries={audit.items} />
    </Panel>
  );
}
