'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useState } from 'react';
import type { Role } from '@/lib/validations/authSchemas';
import { Alert } from '@/components/ui/Alert';
import { AuditPanel } from './AuditPanel';
import { ChangePasswordDialog } from './ChangePasswordDialog';
import { sameUser } from './format';
import { RemoveUserDialog } from './RemoveUserDialog';
import { useAddUserForm } from './useAddUserForm';
import { useRemoteList } from './useRemoteList';
import { ResultBanner } from '@/components/ui/ResultBanner';
import { UsersPanel } from './UsersPanel';
import { passwordButtonId } from './UsersTable';
import { useUserActions } from './useUserActions';
import { fetchAudit, fetchUsers } from './usersApi';

export interface CurrentUser {
  username: string;
  role: Role;
}

type OpenDialog = { kind: 'password'; username: string } | { kind: 'remove'; username: string } | null;

/** The User Administration page's live part: the user list, its actions and the audit trail. */
export function UserAdministration({ currentUser }: { currentUser: CurrentUser | null }) {
  const t = useTranslations('users');
  const users = useRemoteList(fetchUsers);
  const audit = useRemoteList(fetchAudit);
  const { reload: reloadUsers } = users;
  const { reload: reloadAudit } = audit;
  // Every change is also an audit entry, so both tables are read again.
  const afterChange = useCallback(() => {
    void reloadUsers();
    void reloadAudit();
  }, [reloadUsers, reloadAudit]);
  const currentUsername = currentUser?.username ?? null;
  const actions = useUserActions(currentUsername, afterChange);
  const form = useAddUserForm(actions.add, actions.dismissMessage);
  const [dialog, setDialog] = useState<OpenDialog>(null);

  const openPassword = useCallback((username: string) => setDialog({ kind: 'password', username }), []);
  const openRemove = useCallback((username: string) => setDialog({ kind: 'remove', username }), []);
  const closeDialog = useCallback(() => setDialog(null), []);

  // The server decides who may read this page; its 403 message replaces the tables rather than the page guessing from the role.
  const forbidden = users.forbidden ?? audit.forbidden;
  if (forbidden) {
    return (
      <Alert tone="warning" data-testid="users-message" data-tone="error">
        {forbidden}
      </Alert>
    );
  }

  // Until the first answer the page cannot tell an admin from a monitor; a table that might vanish would only flicker.
  if (users.items === null && users.loading) {
    return (
      <p className="users-loading" role="status">
        {t('loadingUsers')}
      </p>
    );
  }

  const removeDialog = async (username: string) => {
    if (await actions.remove(username)) setDialog(null);
  };

  return (
    <div className="user-admin">
      <ResultBanner message={actions.message} onDismiss={actions.dismissMessage} testId="users-message" />
      <UsersPanel users={users} currentUsername={currentUsername} form={form} adding={actions.busy === 'add'} blocked={actions.busy !== null} onChangePassword={openPassword} onRemove={openRemove} />
      <AuditPanel audit={audit} />

      {dialog?.kind === 'password' && (
        <ChangePasswordDialog
          username={dialog.username}
          own={currentUsername !== null && sameUser(dialog.username, currentUsername)}
          busy={actions.busy === 'password'}
          returnFocusTo={passwordButtonId(dialog.username)}
          onSave={(password, currentPassword) => actions.setPassword(dialog.username, password, currentPassword)}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === 'remove' && <RemoveUserDialog username={dialog.username} busy={actions.busy === 'remove'} onRemove={() => void removeDialog(dialog.username)} onKeep={closeDialog} />}
    </div>
  );
}
