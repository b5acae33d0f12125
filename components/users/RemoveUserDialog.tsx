'use client';

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
  // Runs after the Dialog's effect focused its first button: a stray Enter must keep the user, not remove them.
  useEffect(() => {
    document.getElementById(KEEP_ID)?.focus();
  }, []);

  return (
    <Dialog
      title={`Remove user ${username}?`}
      data-testid="remove-user-dialog"
      onDismiss={onKeep}
      actions={
        <>
          <Button variant="danger" disabled={busy} busy={busy} onClick={onRemove}>
            Remove
          </Button>
          <Button id={KEEP_ID} onClick={onKeep}>
            Keep
          </Button>
        </>
      }
    >
      <p>{username} is logged out at once and can no longer log in. The audit trail keeps their entries.</p>
    </Dialog>
  );
}
