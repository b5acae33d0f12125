import { PASSWORD_TYPES, SFTP_AUTH_METHODS, type SftpAuthMethod } from '@/lib/imageDownloadProfile';
import { SelectField, TextField } from '@/components/ui/FormFields';
import { optionsOf, type SelectOption } from '@/components/ui/Select';
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
      <TextField
        control={username}
        label="User Name"
        required
        value={values.sftp.username}
        autoComplete="off"
        spellCheck={false}
        aria-required="true"
        onValueChange={(value) => form.setSftp('username', value)}
      />
      <SelectField control={auth} label="Authentication" value={values.sftp.authMethod} options={AUTH_OPTIONS} onValueChange={(value) => form.setSftp('authMethod', value)} />
      {values.sftp.authMethod === 'password' ? (
        <>
          <SelectField control={passwordType} label="Password Type" value={values.sftp.passwordType} options={PASSWORD_TYPE_OPTIONS} onValueChange={(value) => form.setSftp('passwordType', value)} />
          <TextField
            control={password}
            label="Password"
            required={!stored.hasPassword}
            type="password"
            value={values.sftp.password}
            // A stored password is never sent back; say so instead of showing a fake mask.
            placeholder={stored.hasPassword ? 'A password is set; leave empty to keep it' : ''}
            // Keeps the browser from filling in the engineer's own login password.
            autoComplete="new-password"
            aria-required={!stored.hasPassword || undefined}
            onValueChange={(value) => form.setSftp('password', value)}
          />
        </>
      ) : (
        <>
          <PrivateKeyField form={form} hasPrivateKey={stored.hasPrivateKey} />
          <TextField
            control={passphrase}
            label="Passphrase"
            type="password"
            value={values.sftp.passphrase}
            placeholder="Only for an encrypted key"
            autoComplete="new-password"
            onValueChange={(value) => form.setSftp('passphrase', value)}
          />
        </>
      )}
    </>
  );
}
