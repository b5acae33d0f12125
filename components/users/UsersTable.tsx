import { useTranslations } from 'next-intl';
import { useMemo } from 'react';
import type { Role, UserView } from '@/lib/validations/authSchemas';
import { Badge, type BadgeTone } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { Table, type TableColumn } from '@/components/ui/Table';
import { formatDateTime } from '@/lib/dateTime';
import { sameUser } from './format';

const ROLE_TONE: Record<Role, BadgeTone> = { admin: 'info', monitor: 'neutral' };

/** Ids of the row buttons, so a dialog can hand the focus back to the one that opened it. */
export function passwordButtonId(username: string): string {
  return `user-password-${username}`;
}

export function removeButtonId(username: string): string {
  return `user-remove-${username}`;
}

function userKey(user: UserView): string {
  return user.username;
}

// Module-level so the memoised table rows keep their identity between renders.
function userRowAttributes(user: UserView) {
  return { 'data-username': user.username, 'data-testid': 'user-row' };
}

export interface UsersTableProps {
  users: readonly UserView[] | null;
  currentUsername: string | null;
  /** Another request is out; the page sends one at a time. */
  blocked: boolean;
  onChangePassword: (username: string) => void;
  onRemove: (username: string) => void;
}

export function UsersTable({ users, currentUsername, blocked, onChangePassword, onRemove }: UsersTableProps) {
  const t = useTranslations('users');
  const columns = useMemo<TableColumn<UserView>[]>(
    () => [
      { key: 'username', header: t('userName'), render: (user) => <span className="user-name">{user.username}</span> },
      { key: 'role', header: t('role'), render: (user) => <Badge tone={ROLE_TONE[user.role]}>{user.role}</Badge> },
      {
        key: 'createdAt',
        header: t('created'),
        render: (user) => <time dateTime={user.createdAt}>{formatDateTime(user.createdAt)}</time>,
      },
      {
        key: 'actions',
        header: <span className="visually-hidden">{t('actions')}</span>,
        className: 'user-actions',
        render: (user) => {
          const self = currentUsername !== null && sameUser(user.username, currentUsername);
          return (
            <span className="user-buttons">
              <Button id={passwordButtonId(user.username)} className="btn-small" disabled={blocked} onClick={() => onChangePassword(user.username)}>
                {t('changePassword')}
              </Button>
              {/* The server refuses to remove the signed-in account; offering the button would only lead to that refusal. */}
              {self ? (
                <span className="user-self">{t('signedIn')}</span>
              ) : (
                <Button id={removeButtonId(user.username)} variant="danger" className="btn-small" disabled={blocked} onClick={() => onRemove(user.username)}>
                  {t('remove')}
                </Button>
              )}
            </span>
          );
        },
      },
    ],
    [t, currentUsername, blocked, onChangePassword, onRemove],
  );

  return <Table caption={t('tableCaption')} columns={columns} rows={users ?? []} rowKey={userKey} rowAttributes={userRowAttributes} empty={users === null ? t('loadingUsers') : t('noUsers')} />;
}
