'use client';

import { useTranslations } from 'next-intl';
import { useRefusalText } from '@/components/ui/useServerSentence';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { SshKeyView } from '@/lib/sshKeys';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Field, fieldErrorId } from '@/components/ui/Field';
import { Panel } from '@/components/ui/Panel';
import { Select } from '@/components/ui/Select';
import { Table, type TableColumn } from '@/components/ui/Table';
import { TextArea } from '@/components/ui/TextArea';
import { formatDateTime } from '@/lib/dateTime';
import { addSshKey, fetchSshKeys, removeSshKey } from './sshKeysApi';
import { fetchUsers } from './usersApi';

const IDS = { user: 'ssh-keys-user', publicKey: 'ssh-keys-public-key' } as const;

const keyRowKey = (key: SshKeyView) => String(key.id);
const keyRowAttributes = (key: SshKeyView) => ({ 'data-fingerprint': key.fingerprint, 'data-testid': 'ssh-key-row' });

/** Administration > User Administration: the SSH public keys that log an account in to the controller's CLI. */
export function SshKeysPanel() {
  const t = useTranslations('sshKeys');
  const refusalText = useRefusalText();
  const [usernames, setUsernames] = useState<string[]>([]);
  const [username, setUsername] = useState('');
  const [keys, setKeys] = useState<SshKeyView[] | null>(null);
  const [publicKey, setPublicKey] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [message, setMessage] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void fetchUsers().then((result) => {
      if (!result.ok) return setMessage({ tone: 'danger', text: refusalText(result) });
      setUsernames(result.data.map((u) => u.username));
      setUsername((current) => current || (result.data[0]?.username ?? ''));
    });
  }, [refusalText]);

  const reload = useCallback(
    async (name: string) => {
      if (!name) return;
      const result = await fetchSshKeys(name);
      if (result.ok) setKeys(result.data);
      else setMessage({ tone: 'danger', text: refusalText(result) });
    },
    [refusalText],
  );

  useEffect(() => {
    setKeys(null);
    void reload(username);
  }, [username, reload]);

  const remove = useCallback(
    async (key: SshKeyView) => {
      setBusy(true);
      const result = await removeSshKey(username, key.id);
      setBusy(false);
      setMessage(result.ok ? { tone: 'success', text: t('removedMessage', { fingerprint: key.fingerprint, username }) } : { tone: 'danger', text: refusalText(result) });
      await reload(username);
    },
    [t, username, reload, refusalText],
  );

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    const result = await addSshKey(username, publicKey);
    setBusy(false);
    if (!result.ok) {
      const issue = result.issues.find((i) => i.path === 'publicKey');
      // A key that does not parse is refused with the field's own sentence: the page says it in its language there too.
      setFieldError(issue && issue.message === result.error ? refusalText(result) : issue?.message);
      setMessage({ tone: 'danger', text: refusalText(result) });
      return;
    }
    setFieldError(undefined);
    setPublicKey('');
    setMessage({ tone: 'success', text: t('addedMessage', { keyType: result.data.keyType, fingerprint: result.data.fingerprint, username }) });
    await reload(username);
  };

  const columns = useMemo<TableColumn<SshKeyView>[]>(
    () => [
      { key: 'keyType', header: t('type'), render: (key) => key.keyType },
      { key: 'fingerprint', header: t('fingerprint'), render: (key) => <code>{key.fingerprint}</code> },
      { key: 'comment', header: t('comment'), render: (key) => key.comment },
      { key: 'createdAt', header: t('added'), render: (key) => <time dateTime={key.createdAt}>{formatDateTime(key.createdAt)}</time> },
      {
        key: 'actions',
        header: <span className="visually-hidden">{t('actions')}</span>,
        render: (key) => (
          <Button variant="danger" className="btn-small" disabled={busy} onClick={() => void remove(key)} aria-label={t('removeKey', { fingerprint: key.fingerprint })}>
            {t('remove')}
          </Button>
        ),
      },
    ],
    [t, busy, remove],
  );

  return (
    <Panel id="ssh-keys" title={t('title')}>
      <p className="field-hint">{t('intro')}</p>
      {message && (
        <Alert tone={message.tone} data-testid="ssh-keys-message">
          {message.text}
        </Alert>
      )}
      <Field id={IDS.user} path="username" label={t('user')}>
        <Select id={IDS.user} className="input-short" value={username} options={usernames.map((u) => ({ value: u, label: u }))} onValueChange={setUsername} />
      </Field>
      <Table caption={t('caption', { username })} columns={columns} rows={keys ?? []} rowKey={keyRowKey} rowAttributes={keyRowAttributes} empty={keys === null ? t('loading') : t('empty')} />
      <form noValidate onSubmit={(event) => void submit(event)} aria-label={t('addForm')}>
        <Field id={IDS.publicKey} path="publicKey" label={t('publicKey')} error={fieldError} hint={t('publicKeyHint')}>
          <TextArea id={IDS.publicKey} rows={3} spellCheck={false} value={publicKey} invalid={fieldError !== undefined} errorId={fieldErrorId(IDS.publicKey)} onValueChange={setPublicKey} />
        </Field>
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={busy || !username} busy={busy}>
            {t('addKey')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}
