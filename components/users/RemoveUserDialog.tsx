'use client';

import { useTranslations } from 'next-intl';
import { useEffect } from 'react';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';

const KEEP_ID = 'remove-user-keep';

export interface RemoveUserDialogProps {
  username: string;
  busy: boolean;
  onRemove: () => void;
  onKeep: () => void;
}

/** Confirms a removal, which ends the user's sessions at once and cannot be undone. */
export function RemoveUserDialog({ username, busy, onRemove, onKeep }: RemoveUserDialogProps) {
  const t = useTranslations('users');
  // Runs after the Dialog's effect focused its first button: a stray Enter must keep the user, not remove them.
  useEffect(() => {
    document.getElementById(KEEP_ID)?.focus();
  }, []);

  return (
    <Dialog
      title={t('removeTitle', { username })}
      data-testid="remove-user-dialog"
      onDismiss={onKeep}
      actions={
        <>
          <Button variant="danger" disabled={busy} busy={busy} onClick={onRemove}>
            {t('remove')}
          </Button>
          <Button id={KEEP_ID} onClick={onKeep}>
            {t('keep')}
          </Button>
        </>
      }
    >
      <p>{t('removeNote', { username })}</p>
    </Dialog>
  );
}
