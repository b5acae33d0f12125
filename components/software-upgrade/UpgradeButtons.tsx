import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/Button';
import type { ConsoleActionName } from './useActionRunner';

export interface UpgradeButtonsProps {
  busy: ConsoleActionName | null;
  canSave: boolean;
  canDownload: boolean;
  canActivate: boolean;
  canCancel: boolean;
  onSaveAndDownload: () => void;
  onActivate: () => void;
  onCancel: () => void;
  /** Why Save and Save & Download are off when the form itself is fine, said under the buttons. */
  saveBlocked?: string | null;
  /** Secondary tools, set apart at the end of the row. */
  aside?: ReactNode;
}

/** Save submits the form; the other three are commands on the running upgrade. */
export function UpgradeButtons({ busy, canSave, canDownload, canActivate, canCancel, onSaveAndDownload, onActivate, onCancel, saveBlocked, aside }: UpgradeButtonsProps) {
  const t = useTranslations('upgradeButtons');
  const idle = busy === null;
  return (
    <>
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={!idle || !canSave} busy={busy === 'save'}>
          {t('save')}
        </Button>
        <Button disabled={!idle || !canDownload} busy={busy === 'download'} onClick={onSaveAndDownload}>
          {t('saveAndDownload')}
        </Button>
        <Button disabled={!idle || !canActivate} busy={busy === 'activate'} onClick={onActivate}>
          {t('activate')}
        </Button>
        <Button variant="danger" disabled={!idle || !canCancel} busy={busy === 'cancel'} onClick={onCancel}>
          {t('cancel')}
        </Button>
        {aside && <div className="form-actions-aside">{aside}</div>}
      </div>
      {saveBlocked && (
        <p className="form-actions-note" data-testid="save-unavailable">
          {saveBlocked}
        </p>
      )}
    </>
  );
}
