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
  const { version, count, aps } = replacement;
  return (
    <Dialog
      title="Replace backup images?"
      data-testid="backup-replace-dialog"
      onDismiss={onKeep}
      actions={
        <>
          <Button onClick={onKeep}>Keep backup images</Button>
          <Button variant="danger" onClick={onReplace}>
            Replace {count} backup image{count === 1 ? '' : 's'}
          </Button>
        </>
      }
    >
      <p data-testid="backup-replace-summary">
        {count} AP{count === 1 ? '' : 's'} already run{count === 1 ? 's' : ''} {version}. Predownloading {version} replaces {count === 1 ? 'its' : 'their'} backup image with the running one, leaving{' '}
        {count === 1 ? 'it' : 'them'} no other version to fall back to:
      </p>
      <ul data-testid="backup-replace-aps">
        {aps.map((ap) => (
          <li key={ap.mac}>
            {ap.name} loses {ap.backupImage}
          </li>
        ))}
        {count > aps.length && <li>and {count - aps.length} more</li>}
      </ul>
      <p className="dialog-note">To keep their backup image, leave these APs out with Predownload targets.</p>
    </Dialog>
  );
}
