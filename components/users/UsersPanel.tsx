import { useTranslations } from 'next-intl';
import type { UserView } from '@/lib/validations/authSchemas';
import { Alert } from '@/components/ui/Alert';
import { Panel } from '@/components/ui/Panel';
import { AddUserForm } from './AddUserForm';
import type { AddUserFormApi } from './useAddUserForm';
import type { RemoteList } from './useRemoteList';
import { UsersTable } from './UsersTable';

export interface UsersPanelProps {
  users: RemoteList<UserView>;
  currentUsername: string | null;
  form: AddUserFormApi;
  adding: boolean;
  blocked: boolean;
  onChangePassword: (username: string) => void;
  onRemove: (username: string) => void;
}

export function UsersPanel({ users, currentUsername, form, adding, blocked, onChangePassword, onRemove }: UsersPanelProps) {
  const t = useTranslations('users');
  const count = users.items?.length;
  return (
    <Panel id="users" title={t('panelTitle')} aside={count !== undefined && <span className="panel-count">{t('count', { count })}</span>}>
      {users.loadError && (
        <Alert tone="danger" data-testid="users-load-error">
          {users.loadError}
        </Alert>
      )}
      <UsersTable users={users.items} currentUsername={currentUsername} blocked={blocked} onChangePassword={onChangePassword} onRemove={onRemove} />
      <AddUserForm form={form} busy={adding} blocked={blocked} />
    </Panel>
  );
}
