'use client';

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
  const [usernames, setUsernames] = useState<string[]>([]);
  const [username, setUsername] = useState('');
  const [keys, setKeys] = useState<SshKeyView[] | null>(null);
  const [publicKey, setPublicKey] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [message, setMessage] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void fetchUsers().then((result) => {
      if (!result.ok) return setMessage({ tone: 'danger', text: result.error });
      setUsernames(result.data.map((u) => u.username));
      setUsername((current) => current || (result.data[0]?.username ?? ''));
    });
  }, []);

  const reload = useCallback(async (name: string) => {
    if (!name) return;
    const result = await fetchSshKeys(name);
    if (result.ok) setKeys(result.data);
    else setMessage({ tone: 'danger', text: result.error });
  }, []);

  useEffect(() => {
    setKeys(null);
    void reload(username);
  }, [username, reload]);

  const remove = useCallback(
    async (key: SshKeyView) => {
      setBusy(true);
      const result = await removeSshKey(username, key.id);
      setBusy(false);
      setMessage(result.ok ? { tone: 'success', text: `Removed ${key.fingerprint} from ${username}.` } : { tone: 'danger', text: result.error });
      await reload(username);
    },
    [username, reload],
  );

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    const result = await addSshKey(username, publicKey);
    setBusy(false);
    if (!result.ok) {
      setFieldError(result.issues.find((i) => i.path === 'publicKey')?.message);
      setMessage({ tone: 'danger', text: result.error });
      return;
    }
    setFieldError(undefined);
    setPublicKey('');
    setMessage({ tone: 'success', text: `Added ${result.data.keyType} ${result.data.fingerprint} to ${username}.` });
    await reload(username);
  };

  const columns = useMemo<TableColumn<SshKeyView>[]>(
    () => [
      { key: 'keyType', header: 'Type', render: (key) => key.keyType },
      { key: 'fingerprint', header: 'Fingerprint', render: (key) => <code>{key.fingerprint}</code> },
      { key: 'comment', header: 'Comment', render: (key) => key.comment },
      { key: 'createdAt', header: 'Added', render: (key) => <time dateTime={key.createdAt}>{formatDateTime(key.createdAt)}</time> },
      {
        key: 'actions',
        header: <span className="visually-hidden">Actions</span>,
        render: (key) => (
          <Button variant="danger" className="btn-small" disabled={busy} onClick={() => void remove(key)} aria-label={`Remove key ${key.fingerprint}`}>
            Remove
          </Button>
        ),
      },
    ],
    [busy, remove],
  );

  return (
    <Panel id="ssh-keys" title="SSH public keys (CLI)">
      <p className="field-hint">Keys log the account in to the controller&apos;s CLI (ssh) in place of its password, with the account&apos;s role.</p>
      {message && (
        <Alert tone={message.tone} data-testid="ssh-keys-message">
          {message.text}
        </Alert>
      )}
      <Field id={IDS.user} path="username" label="User">
        <Select id={IDS.user} className="input-short" value={username} options={usernames.map((u) => ({ value: u, label: u }))} onValueChange={setUsername} />
      </Field>
      <Table caption={`SSH keys of ${username}`} columns={columns} rows={keys ?? []} rowKey={keyRowKey} rowAttributes={keyRowAttributes} empty={keys === null ? 'Loading keys…' : 'No SSH keys'} />
      <form noValidate onSubmit={(event) => void submit(event)} aria-label="Add SSH key">
        <Field id={IDS.publicKey} path="publicKey" label="Public key" error={fieldError} hint="One line of an authorized_keys file, e.g. the content of ~/.ssh/id_ed25519.pub.">
          <TextArea id={IDS.publicKey} rows={3} spellCheck={false} value={publicKey} invalid={fieldError !== undefined} errorId={fieldErrorId(IDS.publicKey)} onValueChange={setPublicKey} />
        </Field>
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={busy || !username} busy={busy}>
            Add key
          </Button>
        </div>
      </form>
    </Panel>
  );
}
