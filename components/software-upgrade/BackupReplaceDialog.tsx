import { useTranslations } from 'next-intl';
import type { BackupReplacement } from '@/lib/backupReplacement';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';

export interface BackupReplaceDialogProps {
  replacement: BackupReplacement;
  onReplace: () => void;
  onKeep: () => void;
}

/**
 * Asked before a predownload of the version some APs already run: it would overwrite each one's
 * backup image, the version it falls back to, with the running one. Keeping them is the first choice.
 */
export function BackupReplaceDialog({ replacement, onReplace, onKeep }: BackupReplaceDialogProps) {
  const t = useTranslations('dialogs');
  const { version, count, aps } = replacement;
  return (
    <Dialog
      title={t('replaceBackupsTitle')}
      data-testid="backup-replace-dialog"
      onDismiss={onKeep}
      actions={
        <>
          <Button onClick={onKeep}>{t('keepBackups')}</Button>
          <Button variant="danger" onClick={onReplace}>
            {t('replaceBackups', { count })}
          </Button>
        </>
      }
    >
      <p data-testid="backup-replace-summary">{t('replaceSummary', { count, version })}</p>
      <ul data-testid="backup-replace-aps">
        {aps.map((ap) => (
          <li key={ap.mac}>{t('loses', { name: ap.name, backup: ap.backupImage })}</li>
        ))}
        {count > aps.length && <li>{t('andMore', { count: count - aps.length })}</li>}
      </ul>
      <p className="dialog-note">{t('replaceNote')}</p>
    </Dialog>
  );
}
