import { PASSWORD_TYPES, SFTP_AUTH_METHODS, type SftpAuthMethod } from '@/lib/imageDownloadProfile';
import { Field } from '@/components/ui/Field';
import { optionsOf, Select, type SelectOption } from '@/components/ui/Select';
import { TextInput } from '@/components/ui/TextInput';
import { PrivateKeyField } from './PrivateKeyField';
import { fieldControl } from './profileForm';
import type { ProfileFormApi } from './useProfileForm';

const PASSWORD_TYPE_OPTIONS = optionsOf(PASSWORD_TYPES);

const AUTH_LABELS: Record<SftpAuthMethod, string> = { password: 'Password', key: 'Private key' };
const AUTH_OPTIONS: SelectOption<SftpAuthMethod>[] = SFTP_AUTH_METHODS.map((value) => ({ value, label: AUTH_LABELS[value] }));

export interface SftpFieldsProps {
  form: ProfileFormApi;
  /** What the controller already stores; an empty secret field keeps it. */
  stored: { hasPassword: boolean; hasPrivateKey: boolean };
}

/** The SFTP login: User Name, then how it logs in (the seed's Password Type and Password, or this console's private key). */
export function SftpFields({ form, stored }: SftpFieldsProps) {
  const { values, errors } = form;
  const username = fieldControl(errors, 'sftp.username');
  const auth = fieldControl(errors, 'sftp.authMethod');
  const passwordType = fieldControl(errors, 'sftp.passwordType');
  const password = fieldControl(errors, 'sftp.password');
  const passphrase = fieldControl(errors, 'sftp.passphrase');

  return (
    <>
      <Field id={username.id} path={username.path} label="User Name" required error={username.error}>
        <TextInput
          id={username.id}
          value={values.sftp.username}
          autoComplete="off"
          spellCheck={false}
          aria-required="true"
          invalid={username.invalid}
          errorId={username.errorId}
          onValueChange={(value) => form.setSftp('username', value)}
        />
      </Field>
      <Field id={auth.id} path={auth.path} label="Authentication" error={auth.error}>
        <Select
          id={auth.id}
          value={values.sftp.authMethod}
          options={AUTH_OPTIONS}
          invalid={auth.invalid}
          errorId={auth.errorId}
          onValueChange={(value) => form.setSftp('authMethod', value)}
        />
      </Field>
      {values.sftp.authMethod === 'password' ? (
        <>
          <Field id={passwordType.id} path={passwordType.path} label="Password Type" error={passwordType.error}>
            <Select
              id={passwordType.id}
              value={values.sftp.passwordType}
              options={PASSWORD_TYPE_OPTIONS}
              invalid={passwordType.invalid}
              errorId={passwordType.errorId}
              onValueChange={(value) => form.setSftp('passwordType', value)}
            />
          </Field>
          <Field id={password.id} path={password.path} label="Password" required={!stored.hasPassword} error={password.error}>
            <TextInput
              id={password.id}
              type="password"
              value={values.sftp.password}
              // A stored password is never sent back; say so instead of showing a fake mask.
              placeholder={stored.hasPassword ? 'A password is set; leave empty to keep it' : ''}
              // Keeps the browser from filling in the engineer's own login password.
              autoComplete="new-password"
              aria-required={!stored.hasPassword || undefined}
              invalid={password.invalid}
              errorId={password.errorId}
              onValueChange={(value) => form.setSftp('password', value)}
            />
          </Field>
        </>
      ) : (
        <>
          <PrivateKeyField form={form} hasPrivateKey={stored.hasPrivateKey} />
          <Field id={passphrase.id} path={passphrase.path} label="Passphrase" error={passphrase.error}>
            <TextInput
              id={passphrase.id}
              type="password"
              value={values.sftp.passphrase}
              placeholder="Only for an encrypted key"
              autoComplete="new-password"
              invalid={passphrase.invalid}
              errorId={passphrase.errorId}
              onValueChange={(value) => form.setSftp('passphrase', value)}
            />
          </Field>
        </>
      )}
    </>
  );
}
