import type { FormEvent, ReactNode } from 'react';
import { DEFAULT_PORT, IMAGE_DOWNLOAD_MODES, PASSWORD_TYPES } from '@/lib/imageDownloadProfile';
import { Field, fieldErrorId } from '@/components/ui/Field';
import { optionsOf, Select } from '@/components/ui/Select';
import { Switch } from '@/components/ui/Switch';
import { TextInput } from '@/components/ui/TextInput';
import { fieldId, type FieldPath } from './profileForm';
import type { ProfileFormApi } from './useProfileForm';

const MODE_OPTIONS = optionsOf(IMAGE_DOWNLOAD_MODES);
const PASSWORD_TYPE_OPTIONS = optionsOf(PASSWORD_TYPES);

export interface ProfileFormProps {
  form: ProfileFormApi;
  /** A password is stored on the controller; an empty field keeps it. */
  hasPassword: boolean;
  onSubmit: () => void;
  /** The action buttons, kept outside the fieldset so they follow their own enablement rules. */
  actions: ReactNode;
}

export function ProfileForm({ form, hasPassword, onSubmit, actions }: ProfileFormProps) {
  const { values, errors } = form;
  const control = (path: FieldPath) => {
    const id = fieldId(path);
    return { id, path, error: errors[path], invalid: path in errors, errorId: fieldErrorId(id) };
  };
  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit();
  };

  const mode = control('mode');
  const server = control('imageServer');
  const path = control('imagePath');
  const port = control('port');
  const parallel = control('parallelMode');
  const username = control('sftp.username');
  const passwordType = control('sftp.passwordType');
  const password = control('sftp.password');

  return (
    // The API's schema validates; the browser's own bubbles would pre-empt its messages.
    <form className="profile-form" noValidate onSubmit={handleSubmit} aria-label="Image download profile">
      <fieldset className="profile-fields" disabled={!form.ready} aria-busy={!form.ready || undefined}>
        <Field id={mode.id} path={mode.path} label="Mode" error={mode.error}>
          <Select id={mode.id} value={values.mode} options={MODE_OPTIONS} invalid={mode.invalid} errorId={mode.errorId} onValueChange={form.setMode} />
        </Field>
        <Field id={server.id} path={server.path} label="Image Server" required error={server.error}>
          <TextInput
            id={server.id}
            value={values.imageServer}
            placeholder="IPv4/IPv6 address or host name"
            autoComplete="off"
            spellCheck={false}
            aria-required="true"
            invalid={server.invalid}
            errorId={server.errorId}
            onValueChange={(value) => form.setText('imageServer', value)}
          />
        </Field>
        <Field id={path.id} path={path.path} label="Image Path" required error={path.error}>
          <TextInput
            id={path.id}
            value={values.imagePath}
            placeholder="/images/ewc/"
            autoComplete="off"
            spellCheck={false}
            aria-required="true"
            invalid={path.invalid}
            errorId={path.errorId}
            onValueChange={(value) => form.setText('imagePath', value)}
          />
        </Field>
        <Field id={port.id} path={port.path} label="Port" error={port.error}>
          <TextInput
            id={port.id}
            className="input-short"
            value={values.port}
            inputMode="numeric"
            placeholder={String(DEFAULT_PORT[values.mode])}
            autoComplete="off"
            invalid={port.invalid}
            errorId={port.errorId}
            onValueChange={(value) => form.setText('port', value)}
          />
        </Field>
        <Field id={parallel.id} path={parallel.path} label="Parallel Mode" error={parallel.error}>
          <Switch id={parallel.id} checked={values.parallelMode} invalid={parallel.invalid} errorId={parallel.errorId} onCheckedChange={form.setParallelMode} />
        </Field>
        {values.mode === 'SFTP' && (
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
                onValueChange={form.setUsername}
              />
            </Field>
            <Field id={passwordType.id} path={passwordType.path} label="Password Type" error={passwordType.error}>
              <Select
                id={passwordType.id}
                value={values.sftp.passwordType}
                options={PASSWORD_TYPE_OPTIONS}
                invalid={passwordType.invalid}
                errorId={passwordType.errorId}
                onValueChange={form.setPasswordType}
              />
            </Field>
            <Field id={password.id} path={password.path} label="Password" required={!hasPassword} error={password.error}>
              <TextInput
                id={password.id}
                type="password"
                value={values.sftp.password}
                // A stored password is never sent back; say so instead of showing a fake mask.
                placeholder={hasPassword ? 'A password is set; leave empty to keep it' : ''}
                // Keeps the browser from filling in the engineer's own login password.
                autoComplete="new-password"
                aria-required={!hasPassword || undefined}
                invalid={password.invalid}
                errorId={password.errorId}
                onValueChange={form.setPassword}
              />
            </Field>
          </>
        )}
      </fieldset>
      {actions}
    </form>
  );
}
